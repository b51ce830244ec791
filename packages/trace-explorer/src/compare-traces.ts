import { numberOf } from './span-facts.js';
import type { StoredSpan } from './stored-span.js';
import type { TraceSummary } from './summarize-trace.js';
import type { StoredTrace } from './trace-store.js';

/** Spans of one name in one trace, added up. */
export interface SpanTotals {
  count: number;
  totalMs: number;
  queries: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface ComparedRow {
  name: string;
  service: string;
  a: SpanTotals | null;
  b: SpanTotals | null;
  /** b's time minus a's; a span missing on one side counts as 0 there. */
  deltaMs: number;
}

export interface TraceComparison {
  a: TraceSummary;
  b: TraceSummary;
  rows: ComparedRow[];
  delta: { durationMs: number; spans: number; queries: number; cacheHits: number; cacheMisses: number };
}

function totalsByName(spans: readonly StoredSpan[]) {
  const totals = new Map<string, SpanTotals & { service: string }>();
  for (const span of spans) {
    const key = `${span.service}\u0000${span.name}`;
    const entry = totals.get(key) ?? {
      service: span.service,
      count: 0,
      totalMs: 0,
      queries: 0,
      cacheHits: 0,
      cacheMisses: 0,
    };
    entry.count += 1;
    entry.totalMs += span.durationMs;
    entry.queries += numberOf(span, 'db.query_count');
    entry.cacheHits += numberOf(span, 'cache.hits');
    entry.cacheMisses += numberOf(span, 'cache.misses');
    totals.set(key, entry);
  }
  return totals;
}

const strip = (entry: (SpanTotals & { service: string }) | undefined): SpanTotals | null =>
  entry
    ? {
        count: entry.count,
        totalMs: entry.totalMs,
        queries: entry.queries,
        cacheHits: entry.cacheHits,
        cacheMisses: entry.cacheMisses,
      }
    : null;

/**
 * Two traces side by side: spans matched by service and name (all spans of a name added up,
 * so a loop of 100 statements meets the one statement that replaced it), biggest change first.
 */
export function compareTraces(a: StoredTrace, b: StoredTrace): TraceComparison {
  const left = totalsByName(a.spans);
  const right = totalsByName(b.spans);
  const rows: ComparedRow[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const [service = '', name = ''] = key.split('\u0000');
    const one = strip(left.get(key));
    const two = strip(right.get(key));
    rows.push({ name, service, a: one, b: two, deltaMs: (two?.totalMs ?? 0) - (one?.totalMs ?? 0) });
  }
  rows.sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs));
  return {
    a: a.summary,
    b: b.summary,
    rows,
    delta: {
      durationMs: b.summary.durationMs - a.summary.durationMs,
      spans: b.summary.spanCount - a.summary.spanCount,
      queries: b.summary.queryCount - a.summary.queryCount,
      cacheHits: b.summary.cacheHits - a.summary.cacheHits,
      cacheMisses: b.summary.cacheMisses - a.summary.cacheMisses,
    },
  };
}
