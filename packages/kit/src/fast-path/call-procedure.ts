import { type AnyProcedure, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import type { MeshContext } from '../context.js';
import {
  hasCallerOverride,
  type MiddlewareOptions,
  procedureMiddlewares,
  TRPC_MIDDLEWARE_MARKER,
} from '../trpc-internals.js';

type Result = { ok: true; data: unknown } | { ok: false; error: TRPCError };

interface CallOptions {
  ctx: MeshContext;
  path: string;
  type: 'query' | 'mutation';
  batchIndex: number;
  input: unknown;
}

interface Chain {
  middlewares: ReturnType<typeof procedureMiddlewares>['middlewares'];
  meta: unknown;
  call: CallOptions;
}

// Closures made per call come from functions that return them: under tsx (`npm start`, the
// benches) a closure bound to a name (`const f = () => ...`, `{ next: () => ... }`) gets
// esbuild's `__name` wrapper, a defineProperty per call; the image's compiled code has none.

function nextLevel(
  chain: Chain,
  index: number,
  ctx: unknown,
  input: unknown,
  getRawInput: () => Promise<unknown>,
): MiddlewareOptions['next'] {
  return (nextOptions) =>
    runLevel(
      chain,
      index + 1,
      nextOptions?.ctx ? { ...(ctx as object), ...(nextOptions.ctx as object) } : ctx,
      nextOptions && 'input' in nextOptions ? nextOptions.input : input,
      nextOptions?.getRawInput ?? getRawInput,
    );
}

function rawInputOf(input: unknown): () => Promise<unknown> {
  return async () => input;
}

/** One level of the chain: `callRecursive(index, _def, opts)` with explicit options. */
async function runLevel(
  chain: Chain,
  index: number,
  ctx: unknown,
  input: unknown,
  getRawInput: () => Promise<unknown>,
): Promise<Result> {
  try {
    const middleware = chain.middlewares[index];
    if (!middleware) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'No middleware left' });
    const options: MiddlewareOptions = {
      ctx,
      path: chain.call.path,
      type: chain.call.type,
      batchIndex: chain.call.batchIndex,
      signal: undefined,
      getRawInput,
      meta: chain.meta,
      input,
      next: nextLevel(chain, index, ctx, input, getRawInput),
    };
    return (await middleware(options)) as Result;
  } catch (cause) {
    return { ok: false, error: getTRPCErrorFromUnknown(cause), marker: TRPC_MIDDLEWARE_MARKER } as Result;
  }
}

/**
 * Calls a procedure as tRPC's own procedure caller does (`callRecursive`: each middleware of
 * the procedure in turn, tRPC's input parser, output parser and resolver among them, a `next`
 * that carries `input`, a `ctx` merge and `getRawInput` on), with one plain object per level
 * where tRPC's build spreads the options twice per level through Babel's `_objectSpread2`,
 * which cost a fast-path call more than its span. Same middlewares, same order, same results
 * and errors; `conformance.test.ts` holds both answers byte for byte.
 */
export async function callProcedure(procedure: AnyProcedure, call: CallOptions): Promise<unknown> {
  const getRawInput = rawInputOf(call.input);
  if (hasCallerOverride(procedure)) {
    const { ctx, path, type, batchIndex } = call;
    return procedure({ path, type, ctx, batchIndex, signal: undefined, getRawInput });
  }
  const result = await runLevel(
    { ...procedureMiddlewares(procedure), call },
    0,
    call.ctx,
    undefined,
    getRawInput,
  );
  if (!result) {
    throw new TRPCError({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'No result from middlewares - did you forget to `return next()`?',
    });
  }
  if (!result.ok) throw result.error;
  return result.data;
}
