import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { TraceStore } from './trace-store.js';

/** How often changed traces are sent, and the most sent at once (more: the page refetches). */
const FLUSH_MS = 250;
const MAX_PER_FLUSH = 50;
const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/live`: Server-Sent Events. `traces` events carry the summaries of traces that
 * arrived or grew since the last one, coalesced every 250 ms; `reset` asks the page to refetch
 * the list (more changed than one event carries, or the page was too slow to read). A slow
 * page never makes the explorer buffer: while its socket is full, changes are only counted.
 */
export function registerLiveRoute(app: FastifyInstance, store: TraceStore): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  app.get('/api/live', (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    response.write(': live\n\n');
    open.add(response);
    let pending = new Set<string>();
    let overflowed = false;
    let blocked = false;
    const send = (event: string, data: unknown) => {
      if (!response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) {
        blocked = true;
        response.once('drain', () => {
          blocked = false;
        });
      }
    };
    const unsubscribe = store.onChange((traceIds) => {
      if (overflowed) return;
      for (const traceId of traceIds) pending.add(traceId);
      if (pending.size > MAX_PER_FLUSH) overflowed = true;
    });
    const flush = setInterval(() => {
      if (blocked || (!overflowed && pending.size === 0)) return;
      if (overflowed) send('reset', { reason: 'more traces changed than one event carries' });
      else {
        const summaries = [...pending].flatMap((traceId) => store.trace(traceId)?.summary ?? []);
        send('traces', { traces: summaries });
      }
      pending = new Set();
      overflowed = false;
    }, FLUSH_MS);
    const heartbeat = setInterval(() => {
      if (!blocked) response.write(': ping\n\n');
    }, HEARTBEAT_MS);
    request.raw.on('close', () => {
      clearInterval(flush);
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(response);
    });
  });
}
