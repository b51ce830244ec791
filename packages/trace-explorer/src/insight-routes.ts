import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ExplorerError } from './errors.js';
import type { LogStore } from './log-store.js';
import { listProcedures, procedureStats } from './procedure-stats.js';
import { buildServiceMap } from './service-map.js';
import type { TraceStore } from './trace-store.js';

const logQuery = z.object({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).or(z.literal('')).optional(),
  service: z.string().optional(),
  q: z.string().max(200).optional(),
  traceId: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/)
    .or(z.literal(''))
    .optional(),
  spanId: z
    .string()
    .regex(/^[0-9a-fA-F]{16}$/)
    .or(z.literal(''))
    .optional(),
  from: z.coerce.number().min(0).optional(),
  to: z.coerce.number().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const query = schema.safeParse(raw);
  if (!query.success) throw new ExplorerError('BAD_QUERY', query.error.issues[0]?.path.join('.'));
  return query.data;
}

/** Logs (searched, and by span), the service map and the per-procedure figures. */
export function registerInsightRoutes(app: FastifyInstance, traces: TraceStore, logs: LogStore): void {
  app.get('/api/logs', async (request) => {
    const query = parse(logQuery, request.query);
    const listed = logs.list({
      level: query.level || undefined,
      service: query.service || undefined,
      text: query.q || undefined,
      traceId: query.traceId?.toLowerCase() || undefined,
      spanId: query.spanId?.toLowerCase() || undefined,
      fromMs: query.from,
      toMs: query.to,
      limit: query.limit,
    });
    return { ...listed, stored: logs.stats() };
  });

  /** What the explorer holds against its bounds, and its own memory. */
  app.get('/api/stats', async () => {
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    return { traces: traces.stats(), logs: logs.stats(), memory: { rss, heapUsed, heapTotal, external } };
  });

  app.get('/api/service-map', async () => buildServiceMap(traces.all()));

  app.get('/api/procedures', async () => ({ procedures: listProcedures(traces.all()) }));

  app.get<{ Params: { procedure: string } }>('/api/procedures/:procedure', async (request) =>
    procedureStats(traces.all(), request.params.procedure),
  );
}
