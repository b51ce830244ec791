import { type AnyRouter, getErrorShape, getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';
import type { MeshContext } from '../context.js';
import type { FastCall } from './read-calls.js';

export type WireResponse = { result: { data: unknown } } | { error: unknown };

export interface CallOutcome {
  response: WireResponse;
  /** The HTTP status this call alone would have: 200, or its error's. */
  status: number;
}

function errorOutcome(
  router: AnyRouter,
  call: FastCall,
  ctx: MeshContext,
  error: TRPCError,
  input: unknown,
): CallOutcome {
  const config = router._def._config;
  const shape = getErrorShape({ config, error, type: call.type, path: call.path, input, ctx }) as {
    data?: { httpStatus?: number };
  };
  return {
    response: { error: config.transformer.output.serialize(shape) },
    status: shape.data?.httpStatus ?? 500,
  };
}

/**
 * Runs one call as tRPC's own request handler does: the procedure with its middlewares,
 * input parser and output parser, the input deserialised lazily by the router's
 * transformer, the result or the formatted error serialised by it.
 */
export async function runCall(
  router: AnyRouter,
  call: FastCall,
  ctx: MeshContext,
  batchIndex: number,
): Promise<CallOutcome> {
  const { transformer } = router._def._config;
  let input: unknown;
  let read: Promise<unknown> | undefined;
  try {
    const data = await call.procedure({
      path: call.path,
      type: call.type,
      ctx,
      batchIndex,
      signal: undefined,
      // Read once, as tRPC's adapter does: every middleware sees the same input object.
      getRawInput: () => {
        read ??= (async () => {
          // An absent input stays undefined, never passes through the transformer.
          input = call.wireInput === undefined ? undefined : transformer.input.deserialize(call.wireInput);
          return input;
        })();
        return read;
      },
    });
    return { response: { result: { data: transformer.output.serialize(data) } }, status: 200 };
  } catch (cause) {
    return errorOutcome(router, call, ctx, getTRPCErrorFromUnknown(cause), input);
  }
}
