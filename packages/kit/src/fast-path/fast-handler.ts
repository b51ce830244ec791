import { TRACE_KEEP_HEADER } from '@mesh/wire';
import type { AnyRouter } from '@trpc/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallLayersOff } from '../call-layers.js';
import type { MeshContext } from '../context.js';
import { saidKeep } from '../keep-word.js';
import { invokeCall, reuseParsed, wireCodec } from './layer-switches.js';
import { type FastCall, type ReadRequest, readCalls } from './read-calls.js';
import { decodeInputs, runCall } from './run-calls.js';

export interface FastHandlerOptions {
  router: AnyRouter;
  maxBatchSize: number;
  /** What the cost bench took away; empty in a service. */
  layersOff: CallLayersOff;
  createContext(request: FastifyRequest, batchSize: number): MeshContext;
}

/** Answers `true` when it served the request, `false` to hand it to the official adapter. */
export type FastHandler = (request: FastifyRequest, reply: FastifyReply, path: string) => Promise<boolean>;

const passThrough = (payload: unknown): string => payload as string;

/** A query parameter as `URLSearchParams.get` reads it (tRPC's rule): the first of repeats. */
function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

function inputText(request: FastifyRequest): string | undefined {
  if (request.method === 'GET') return queryParam(request, 'input');
  return typeof request.body === 'string' ? request.body : undefined;
}

/** JSON in, JSON out, nothing streamed: what the fast path answers; the adapter gets the rest. */
function isPlainJsonRequest(request: FastifyRequest): boolean {
  const { headers } = request;
  // tRPC streams (JSONL) when either header asks for it.
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('application/jsonl')) return false;
  if (request.method !== 'POST') return true;
  // A POST without a content type is refused by the adapter (415): leave it that answer.
  return headers['content-type']?.startsWith('application/json') ?? false;
}

/**
 * tRPC's HTTP protocol for plain JSON queries and mutations, single and batched, served
 * straight from Fastify: no WHATWG Request/Response, streams or abort-signal plumbing per
 * request, which is where the official adapter spends its time on Node 20. Everything else
 * (streaming, SSE subscriptions, form data, and every malformed request) goes to the adapter.
 */
export function createFastHandler({
  router,
  maxBatchSize,
  layersOff,
  createContext,
}: FastHandlerOptions): FastHandler {
  const runner = { router, codec: wireCodec(router, layersOff), invoke: invokeCall(layersOff) };
  const read = reuseParsed((request, path): ReadRequest | null => {
    if (!isPlainJsonRequest(request)) return null;
    const batch = queryParam(request, 'batch') === '1';
    const calls = readCalls(
      router,
      { method: request.method, path, batch, inputText: inputText(request) },
      maxBatchSize,
    );
    return calls && { calls, batch };
  }, layersOff);
  return async (request, reply, path) => {
    const found = read(request, path);
    if (!found) return false;
    const { calls, batch } = found;
    const inputs = decodeInputs(runner.codec, calls);
    if (!inputs) return false;

    const ctx = createContext(request, calls.length);
    const outcomes =
      calls.length === 1
        ? [await runCall(runner, calls[0] as FastCall, ctx, 0, inputs[0])]
        : await Promise.all(calls.map((call, index) => runCall(runner, call, ctx, index, inputs[index])));
    const first = outcomes[0]?.status ?? 200;
    const status = outcomes.every((outcome) => outcome.status === first) ? first : 207;
    const body = batch ? outcomes.map((outcome) => outcome.response) : outcomes[0]?.response;
    // The keep rule's word to a caller whose spans of this unsampled trace wait on it.
    if (saidKeep(ctx)) reply.header(TRACE_KEEP_HEADER, '1');
    await reply
      .code(status)
      .header('vary', 'trpc-accept, accept')
      .header('content-type', 'application/json')
      // Text through a pass-through serializer: Fastify adds no charset (the official
      // adapter's header bytes), and headers and body leave in one write, where a Buffer
      // body is written apart from the headers (a writev of two).
      .serializer(passThrough)
      .send(JSON.stringify(body));
    return true;
  };
}
