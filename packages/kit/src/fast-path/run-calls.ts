import { type AnyRouter, getErrorShape, getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';
import type { MeshContext } from '../context.js';
import { routerConfig } from '../trpc-internals.js';
import type { InvokeCall, WireCodec } from './layer-switches.js';
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
  const config = routerConfig(router);
  const shape = getErrorShape({ config, error, type: call.type, path: call.path, input, ctx }) as {
    data?: { httpStatus?: number };
  };
  return {
    response: { error: config.transformer.output.serialize(shape) },
    status: shape.data?.httpStatus ?? 500,
  };
}

/**
 * Decodes every call's input with the router's transformer, all before any call runs, as
 * tRPC's adapter does; `null` when one cannot be decoded, so the request goes to the adapter
 * and gets its exact answer (a BAD_REQUEST for every call of the batch).
 */
export function decodeInputs(codec: WireCodec, calls: readonly FastCall[]): unknown[] | null {
  try {
    // An absent input stays undefined, never passes through the transformer.
    return calls.map((call) =>
      call.wireInput === undefined ? undefined : codec.deserialize(call.wireInput),
    );
  } catch {
    return null;
  }
}

/**
 * Runs one call as tRPC's own request handler does: the procedure with its middlewares,
 * input parser and output parser on the decoded input, the result or the formatted error
 * serialised by the router's transformer.
 */
export async function runCall(
  { router, codec, invoke }: { router: AnyRouter; codec: WireCodec; invoke: InvokeCall },
  call: FastCall,
  ctx: MeshContext,
  batchIndex: number,
  input: unknown,
): Promise<CallOutcome> {
  try {
    const data = await invoke(call, ctx, batchIndex, input);
    return { response: { result: { data: codec.serialize(data) } }, status: 200 };
  } catch (cause) {
    return errorOutcome(router, call, ctx, getTRPCErrorFromUnknown(cause), input);
  }
}
