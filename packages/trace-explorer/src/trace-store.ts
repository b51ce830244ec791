import type { StoredSpan } from './stored-span.js';
import { summarizeTrace, type TraceSummary } from './summarize-trace.js';

export interface TraceStoreOptions {
  /** Most traces kept; the oldest (first seen) go first. */
  maxTraces: number;
  /** Most bytes kept, counted as the spans' JSON size. */
  maxBytes: number;
}

export interface TraceFilter {
  service?: string | undefined;
  /** Matches any procedure span whose name contains this text. */
  procedure?: string | undefined;
  minDurationMs?: number | undefined;
  errorsOnly?: boolean | undefined;
  limit?: number | undefined;
}

interface Entry {
  spans: StoredSpan[];
  bytes: number;
  summary: TraceSummary | undefined;
}

export interface TraceStore {
  add(spans: readonly StoredSpan[]): void;
  list(filter?: TraceFilter): { traces: TraceSummary[]; matched: number };
  get(traceId: string): StoredSpan[] | undefined;
  /** What is held now, and `received`: every span accepted since start, evicted or not. */
  stats(): { traces: number; spans: number; bytes: number; received: number; services: string[] };
}

/** An in-memory store of recent traces, bounded by trace count and bytes, oldest dropped first. */
export function createTraceStore({ maxTraces, maxBytes }: TraceStoreOptions): TraceStore {
  // A Map iterates in insertion order, so its first entry is always the oldest trace.
  const traces = new Map<string, Entry>();
  let bytes = 0;
  let spanCount = 0;
  let received = 0;

  const summaryOf = (traceId: string, entry: Entry) => {
    entry.summary ??= summarizeTrace(traceId, entry.spans);
    return entry.summary;
  };

  const evict = () => {
    while (traces.size > maxTraces || bytes > maxBytes) {
      const oldest = traces.entries().next();
      if (oldest.done) return;
      const [traceId, entry] = oldest.value;
      traces.delete(traceId);
      bytes -= entry.bytes;
      spanCount -= entry.spans.length;
    }
  };

  const matches = (entry: Entry, summary: TraceSummary, filter: TraceFilter) =>
    (!filter.service || summary.services.includes(filter.service)) &&
    (filter.minDurationMs === undefined || summary.durationMs >= filter.minDurationMs) &&
    (!filter.errorsOnly || summary.errorCount > 0) &&
    (!filter.procedure ||
      entry.spans.some(
        (span) => span.attributes['rpc.system'] === 'trpc' && span.name.includes(filter.procedure as string),
      ));

  return {
    add(spans) {
      received += spans.length;
      for (const span of spans) {
        let entry = traces.get(span.traceId);
        if (!entry) {
          entry = { spans: [], bytes: 0, summary: undefined };
          traces.set(span.traceId, entry);
        }
        const size = JSON.stringify(span).length;
        entry.spans.push(span);
        entry.bytes += size;
        entry.summary = undefined;
        bytes += size;
        spanCount += 1;
      }
      evict();
    },
    list(filter = {}) {
      const found: TraceSummary[] = [];
      for (const [traceId, entry] of traces) {
        const summary = summaryOf(traceId, entry);
        if (matches(entry, summary, filter)) found.push(summary);
      }
      found.sort((a, b) => b.startMs - a.startMs);
      return { traces: found.slice(0, filter.limit ?? 100), matched: found.length };
    },
    get(traceId) {
      const entry = traces.get(traceId);
      return entry ? [...entry.spans].sort((a, b) => a.startMs - b.startMs) : undefined;
    },
    stats() {
      const services = new Set<string>();
      for (const [traceId, entry] of traces)
        for (const service of summaryOf(traceId, entry).services) services.add(service);
      return { traces: traces.size, spans: spanCount, bytes, received, services: [...services].sort() };
    },
  };
}
