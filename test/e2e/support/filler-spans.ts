import type { StoredSpan } from '@mesh/trace-explorer';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Synthetic traces shaped like the mesh's (a procedure span with counters and a checkpoint,
 * under it pg and redis spans), to fill the explorer to a realistic size.
 */
export function fillerSpans({
  traces,
  spansPerTrace,
  before,
}: {
  traces: number;
  spansPerTrace: number;
  before: number;
}) {
  const spans: StoredSpan[] = [];
  for (let t = 0; t < traces; t += 1) {
    const traceId = `f111${hex(t, 28)}`;
    const start = before - (traces - t) * 50;
    const rootId = hex(t * 1000 + 1, 16);
    spans.push({
      traceId,
      spanId: rootId,
      name: 'bot-control.runJob',
      service: 'bot-control',
      kind: 2,
      startMs: start,
      durationMs: 40,
      status: t % 50 === 0 ? 'error' : 'unset',
      attributes: {
        'rpc.system': 'trpc',
        'db.query_count': spansPerTrace - 1,
        'cache.hits': 2,
        'cache.misses': 1,
      },
      events: [{ name: 'job.loaded', offsetMs: 5, attributes: { elapsed_ms: 5 } }],
    });
    for (let s = 1; s < spansPerTrace; s += 1) {
      spans.push({
        traceId,
        spanId: hex(t * 1000 + 1 + s, 16),
        parentSpanId: rootId,
        name: s % 4 === 0 ? 'redis-GET' : 'pg.query:SELECT bots',
        service: 'bot-control',
        kind: 3,
        startMs: start + s * 1.5,
        durationMs: 1.2,
        status: 'unset',
        attributes: { 'db.system': s % 4 === 0 ? 'redis' : 'postgresql' },
        events: [],
      });
    }
  }
  return spans;
}
