import type { AnyRouter } from '@trpc/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MeshContext } from '../context.js';
import { readCalls } from './read-calls.js';
import { runCall } from './run-calls.js';

export interface FastHandlerOptions {
  router: AnyRouter;
  maxBatchSize: number;
  createContext(request: FastifyRequest, batchSize: number): MeshContext;
}

/** Answers `true` when it served the request, `false` to hand it to the official adapter. */
export type FastHandler = (request: FastifyRequest, reply: FastifyReply, path: string) => Promise<boolean>;

function inputText(request: FastifyRequest): string | undefined {
  if (request.method === 'GET') return (request.query as { input?: string }).input;
  return typeof request.body === 'string' ? request.body : undefined;
}

function isPlainJsonRequest(request: FastifyRequest): boolean {
  if (request.headers['trpc-accept'] !== undefined) return false;
  if (request.method !== 'POST') return true;
  const contentType = request.headers['content-type'];
  return contentType === undefined || contentType.startsWith('application/json');
}

/**
 * tRPC's HTTP protocol for plain JSON queries and mutations, single and batched, served
 * straight from Fastify: no WHATWG Request/Response, streams or abort-signal plumbing per
 * request, which is where the official adapter spends its time on Node 20. Everything else
 * (streaming, SSE subscriptions, form data, and every malformed request) goes to the adapter.
 */
export function createFastHandler({ router, maxBatchSize, createContext }: FastHandlerOptions): FastHandler {
  return async (request, reply, path) => {
    if (!isPlainJsonRequest(request)) return false;
    const batch = (request.query as { batch?: string }).batch === '1';
    const calls = readCalls(
      router,
      { method: request.method, path, batch, inputText: inputText(request) },
      maxBatchSize,
    );
    if (!calls) return false;

    const ctx = createContext(request, calls.length);
    const outcomes = await Promise.all(calls.map((call, index) => runCall(router, call, ctx, index)));
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    const status = statuses.size === 1 ? (outcomes[0]?.status ?? 200) : 207;
    const body = batch ? outcomes.map((outcome) => outcome.response) : outcomes[0]?.response;
    await reply
      .code(status)
      .header('vary', 'trpc-accept, accept')
      .header('content-type', 'application/json')
      // A Buffer, so Fastify adds no charset: the same header bytes as the official adapter.
      .send(Buffer.from(JSON.stringify(body)));
    return true;
  };
}
