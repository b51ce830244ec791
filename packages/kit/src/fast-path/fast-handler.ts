import type { IncomingHttpHeaders } from 'node:http';
import type { AnyRouter } from '@trpc/server';
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
  createContext(headers: IncomingHttpHeaders, batchSize: number): MeshContext;
}

/** A tRPC HTTP request as the fast path reads it, whichever server handed it over. */
export interface FastRequest {
  method: string;
  /** The URL as sent (path and query): what the cost bench's reuse of a parsed GET keys on. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The procedure part of the path (`a` or `a,b,c`), decoded. */
  path: string;
  /** The first `batch` query parameter. */
  batch: string | undefined;
  /** GET: the first `input` query parameter; POST: the body; both JSON text. */
  inputText: string | undefined;
}

/** The fast path's answer: tRPC's status and JSON body, and whether the keep word goes with it. */
export interface FastAnswer {
  status: number;
  body: string;
  /** The keep rule's word to a caller whose spans of this unsampled trace wait on it. */
  keep: boolean;
}

/** Answers the request, or `null` to hand it, untouched, to the official adapter. */
export type FastHandler = (request: FastRequest) => Promise<FastAnswer | null>;

/** The response headers every fast answer carries, as the official adapter sends them. */
export const FAST_ANSWER_HEADERS = {
  vary: 'trpc-accept, accept',
  'content-type': 'application/json',
} as const;

/** A query parameter as `URLSearchParams.get` reads it (tRPC's rule): the first of repeats. */
export function firstOfRepeats(value: unknown): string | undefined {
  return (Array.isArray(value) ? value[0] : value) as string | undefined;
}

/** JSON in, JSON out, nothing streamed: what the fast path answers; the adapter gets the rest. */
function isPlainJsonRequest({ method, headers }: FastRequest): boolean {
  // tRPC streams (JSONL) when either header asks for it.
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('application/jsonl')) return false;
  if (method !== 'POST') return true;
  // A POST without a content type is refused by the adapter (415): leave it that answer.
  return headers['content-type']?.startsWith('application/json') ?? false;
}

/**
 * tRPC's HTTP protocol for plain JSON queries and mutations, single and batched, with no
 * WHATWG Request/Response, streams or abort-signal plumbing per request, which is where the
 * official adapter spends its time. Everything else (streaming, SSE subscriptions, form data,
 * and every malformed request) goes to the adapter, which answers it exactly as it always does.
 */
export function createFastHandler({
  router,
  maxBatchSize,
  layersOff,
  createContext,
}: FastHandlerOptions): FastHandler {
  const runner = { router, codec: wireCodec(router, layersOff), invoke: invokeCall(layersOff) };
  const read = reuseParsed((request): ReadRequest | null => {
    if (!isPlainJsonRequest(request)) return null;
    const batch = request.batch === '1';
    const calls = readCalls(
      router,
      { method: request.method, path: request.path, batch, inputText: request.inputText },
      maxBatchSize,
    );
    return calls && { calls, batch };
  }, layersOff);
  return async (request) => {
    const found = read(request);
    if (!found) return null;
    const { calls, batch } = found;
    const inputs = decodeInputs(runner.codec, calls);
    if (!inputs) return null;

    const ctx = createContext(request.headers, calls.length);
    const outcomes =
      calls.length === 1
        ? [await runCall(runner, calls[0] as FastCall, ctx, 0, inputs[0])]
        : await Promise.all(calls.map((call, index) => runCall(runner, call, ctx, index, inputs[index])));
    const first = outcomes[0]?.status ?? 200;
    const status = outcomes.every((outcome) => outcome.status === first) ? first : 207;
    const body = batch ? outcomes.map((outcome) => outcome.response) : outcomes[0]?.response;
    return { status, body: JSON.stringify(body), keep: saidKeep(ctx) };
  };
}
