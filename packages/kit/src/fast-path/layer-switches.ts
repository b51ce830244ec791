import { inputSizeOf } from '@mesh/wire';
import { type AnyProcedure, type AnyRouter, TRPCError } from '@trpc/server';
import type { CallLayersOff } from '../call-layers.js';
import type { MeshContext } from '../context.js';
import { traceProcedure } from '../trace-procedure.js';
import { procedureInputs, procedureResolver, routerConfig } from '../trpc-internals.js';
import { callProcedure } from './call-procedure.js';
import type { FastRequest } from './fast-handler.js';
import type { FastCall, ReadRequest } from './read-calls.js';

// What the cost bench swaps in when it takes a layer of the fast path away. Nothing here runs
// in a service: `createService` passes no layers off unless the bench asks.

/** The wire side of a call's input and output: superjson, or for the bench a bare `{ json }`. */
export interface WireCodec {
  deserialize(wire: unknown): unknown;
  serialize(value: unknown): unknown;
}

/** superjson's `{ json }` envelope without its walk: the same bytes for values of plain JSON. */
const plainCodec: WireCodec = {
  deserialize: (wire) => (wire as { json?: unknown } | null | undefined)?.json,
  serialize: (value) => ({ json: value }),
};

export function wireCodec(router: AnyRouter, layersOff: CallLayersOff): WireCodec {
  if (layersOff.has('superjson')) return plainCodec;
  const { transformer } = routerConfig(router);
  return { deserialize: transformer.input.deserialize, serialize: transformer.output.serialize };
}

/** How one call runs once its input is decoded: its middleware chain, or the bench's direct call. */
export type InvokeCall = (
  call: FastCall,
  ctx: MeshContext,
  batchIndex: number,
  input: unknown,
) => Promise<unknown>;

const throughChain: InvokeCall = (call, ctx, batchIndex, input) =>
  callProcedure(call.procedure, { ctx, path: call.path, type: call.type, batchIndex, input });

type Parse = (value: unknown) => unknown;

function parserOf(parser: unknown): Parse {
  if (typeof parser === 'function') return parser as Parse;
  return (value) => (parser as { parse: Parse }).parse(value);
}

/**
 * The work of `procedure`'s middleware and its input parser with none of tRPC's chain around
 * them (no `callRecursive`, no spreads per level): what the bench weighs the chain against.
 * Only for procedures built on `procedure` with plain `.input()` parsers and no `.use()`.
 */
function directCall(
  procedure: AnyProcedure,
): (ctx: MeshContext, call: FastCall, input: unknown) => Promise<unknown> {
  const parsers = procedureInputs(procedure).map(parserOf);
  const resolver = procedureResolver(procedure);
  return (ctx, call, input) =>
    traceProcedure({ ctx, path: call.path, type: call.type, inputBytes: inputSizeOf(input) }, async () => {
      if (!ctx.authorized) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid service token' });
      }
      let parsed = input;
      try {
        for (const parse of parsers) parsed = await parse(parsed);
      } catch (cause) {
        throw new TRPCError({ code: 'BAD_REQUEST', cause });
      }
      const data = await resolver({
        ctx,
        input: parsed,
        path: call.path,
        type: call.type,
        signal: undefined,
      });
      return { ok: true as const, data };
    }).then((outcome) => outcome.data);
}

export function invokeCall(layersOff: CallLayersOff): InvokeCall {
  if (!layersOff.has('middlewareChain')) return throughChain;
  const direct = new Map<AnyProcedure, ReturnType<typeof directCall>>();
  return (call, ctx, _batchIndex, input) => {
    let run = direct.get(call.procedure);
    if (!run) {
      run = directCall(call.procedure);
      direct.set(call.procedure, run);
    }
    return run(ctx, call, input);
  };
}

/**
 * The bench's fast path without its own reading of the request: what the last GET of the same
 * URL read is used again instead of parsed (the bench sends one URL).
 */
export function reuseParsed(
  read: (request: FastRequest) => ReadRequest | null,
  layersOff: CallLayersOff,
): (request: FastRequest) => ReadRequest | null {
  if (!layersOff.has('fastPathParsing')) return read;
  let last: { url: string; found: ReadRequest | null } | undefined;
  return (request) => {
    if (request.method !== 'GET') return read(request);
    if (last?.url !== request.url) last = { url: request.url, found: read(request) };
    return last.found;
  };
}
