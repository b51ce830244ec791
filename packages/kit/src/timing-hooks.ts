import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ServiceMetrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    meshStartedAt?: bigint;
  }
}

/** Milliseconds since a `process.hrtime.bigint()` reading. */
export const elapsedMs = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

/** The `X-Response-Time` header's value. */
export const responseTime = (ms: number): string => `${ms.toFixed(2)}ms`;

/** The slow-request warning, as both HTTP paths (Fastify's route and the front door) write it. */
export function logSlowRequest(
  log: Pick<FastifyBaseLogger, 'warn'>,
  fields: { method: string; url: string; ms: number; status: number },
): void {
  log.warn(fields, 'slow request');
}

/** `X-Response-Time` on every response, HTTP latency metrics, and a warning for slow requests. */
export function registerTimingHooks(
  app: FastifyInstance,
  { slowRequestMs, metrics }: { slowRequestMs: number; metrics: ServiceMetrics },
): void {
  // Callback-style hooks: they run on every request, and an async hook costs a promise each.
  app.addHook('onRequest', (request, _reply, done) => {
    request.meshStartedAt = process.hrtime.bigint();
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.meshStartedAt !== undefined) {
      reply.header('X-Response-Time', responseTime(elapsedMs(request.meshStartedAt)));
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (request.meshStartedAt !== undefined) {
      const ms = elapsedMs(request.meshStartedAt);
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.observeHttp(route, request.method, reply.statusCode, ms / 1000);
      if (ms >= slowRequestMs) {
        logSlowRequest(request.log, {
          method: request.method,
          url: request.url,
          ms,
          status: reply.statusCode,
        });
      }
    }
    done();
  });
}
