import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { compareTraces } from './compare-traces.js';
import { ExplorerError } from './errors.js';
import { findingKinds } from './find-findings.js';
import type { TraceStore } from './trace-store.js';

const flag = z.enum(['true', 'false', '1', '0']).optional();
const isOn = (value: string | undefined) => value === 'true' || value === '1';

const listQuery = z.object({
  service: z.string().optional(),
  procedure: z.string().optional(),
  minMs: z.coerce.number().min(0).optional(),
  maxMs: z.coerce.number().min(0).optional(),
  errors: flag,
  finding: z
    .enum([...findingKinds, 'any'])
    .or(z.literal(''))
    .optional(),
  traceId: z
    .string()
    .regex(/^[0-9a-fA-F]{0,32}$/)
    .optional(),
  /** `key=value`: some span has this attribute with this value. */
  attr: z
    .string()
    .regex(/^[^=]+=.*$/)
    .or(z.literal(''))
    .optional(),
  from: z.coerce.number().min(0).optional(),
  to: z.coerce.number().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export type ListQuery = z.infer<typeof listQuery>;

/** Parses the list's query string into a store filter; throws BAD_QUERY naming the bad field. */
export function traceFilterOf(raw: unknown) {
  const query = listQuery.safeParse(raw);
  if (!query.success) throw new ExplorerError('BAD_QUERY', query.error.issues[0]?.path.join('.'));
  const { service, procedure, minMs, maxMs, errors, finding, traceId, attr, from, to, limit } = query.data;
  const split = attr ? attr.indexOf('=') : -1;
  return {
    service: service || undefined,
    procedure: procedure || undefined,
    minDurationMs: minMs,
    maxDurationMs: maxMs,
    errorsOnly: isOn(errors),
    finding: finding || undefined,
    traceId: traceId ? traceId.toLowerCase() : undefined,
    attribute:
      attr && split > 0
        ? { key: attr.slice(0, split).trim(), value: attr.slice(split + 1).trim() }
        : undefined,
    fromMs: from,
    toMs: to,
    limit,
  };
}

const compareQuery = z.object({
  a: z.string().regex(/^[0-9a-fA-F]{32}$/),
  b: z.string().regex(/^[0-9a-fA-F]{32}$/),
});

/** The trace list (with its search), one trace with its findings, and two traces compared. */
export function registerTraceRoutes(app: FastifyInstance, store: TraceStore): void {
  app.get('/api/traces', async (request) => {
    const listed = store.list(traceFilterOf(request.query));
    return { ...listed, stored: store.stats() };
  });

  app.get<{ Params: { traceId: string } }>('/api/traces/:traceId', async (request) => {
    const traceId = request.params.traceId.toLowerCase();
    const found = store.trace(traceId);
    if (!found) throw new ExplorerError('TRACE_NOT_FOUND');
    return {
      traceId,
      spans: [...found.spans].sort((a, b) => a.startMs - b.startMs),
      summary: found.summary,
      findings: found.findings,
    };
  });

  app.get('/api/compare', async (request) => {
    const query = compareQuery.safeParse(request.query);
    if (!query.success) throw new ExplorerError('BAD_QUERY', query.error.issues[0]?.path.join('.'));
    const a = store.trace(query.data.a.toLowerCase());
    const b = store.trace(query.data.b.toLowerCase());
    if (!a || !b) throw new ExplorerError('TRACE_NOT_FOUND', a ? query.data.b : query.data.a);
    return compareTraces(a, b);
  });
}
