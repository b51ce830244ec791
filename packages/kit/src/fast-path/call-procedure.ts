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

/**
 * Calls a procedure as tRPC's own procedure caller does (`callRecursive`: each middleware of
 * the procedure in turn, tRPC's input parser, output parser and resolver among them, a `next`
 * that carries `input`, a `ctx` merge and `getRawInput` on), with one plain object per level
 * where tRPC's build spreads the options twice per level through Babel's `_objectSpread2`,
 * which cost a fast-path call more than its span. Same middlewares, same order, same results
 * and errors; `conformance.test.ts` holds both answers byte for byte.
 */
export function callProcedure(procedure: AnyProcedure, call: CallOptions): Promise<unknown> {
  if (hasCallerOverride(procedure)) {
    const { ctx, path, type, batchIndex, input } = call;
    return procedure({ path, type, ctx, batchIndex, signal: undefined, getRawInput: async () => input });
  }
  const { middlewares, meta } = procedureMiddlewares(procedure);
  const getRawInput = async () => call.input;
  const run = async (
    index: number,
    ctx: unknown,
    input: unknown,
    rawInput: () => Promise<unknown>,
  ): Promise<Result> => {
    try {
      const middleware = middlewares[index];
      if (!middleware) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'No middleware left' });
      const options: MiddlewareOptions = {
        ctx,
        path: call.path,
        type: call.type,
        batchIndex: call.batchIndex,
        signal: undefined,
        getRawInput: rawInput,
        meta,
        input,
        next: (nextOptions) =>
          run(
            index + 1,
            nextOptions?.ctx ? { ...(ctx as object), ...(nextOptions.ctx as object) } : ctx,
            nextOptions && 'input' in nextOptions ? nextOptions.input : input,
            nextOptions?.getRawInput ?? rawInput,
          ),
      };
      return (await middleware(options)) as Result;
    } catch (cause) {
      return { ok: false, error: getTRPCErrorFromUnknown(cause), marker: TRPC_MIDDLEWARE_MARKER } as Result;
    }
  };
  return run(0, call.ctx, undefined, getRawInput).then((result) => {
    if (!result) {
      throw new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: 'No result from middlewares - did you forget to `return next()`?',
      });
    }
    if (!result.ok) throw result.error;
    return result.data;
  });
}
