import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * Lets pages on the listed origins call the service from a browser (a dashboard on the SDK's
 * browser build): batched HTTP sends `authorization`, so the browser asks first. With no
 * origin listed nothing is added and browsers keep the same-origin rule.
 */
export async function registerCors(app: FastifyInstance, { origins }: { origins: string[] }): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'traceparent', 'tracestate', 'trpc-accept'],
    maxAge: 600,
  });
}
