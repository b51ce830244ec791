import {
  defaultThresholds,
  type Finding,
  type FindingKind,
  type FindingThresholds,
  findFindings,
} from './find-findings.js';
import { isProcedure } from './span-facts.js';
import { spanSize } from './span-size.js';
import type { AttributeValue, StoredSpan } from './stored-span.js';
import { summarizeTrace, type TraceSummary } from './summarize-trace.js';

export interface TraceStoreOptions {
  /** Most traces kept; the oldest (first seen) go first. */
  maxTraces: number;
  /** Most bytes kept, counted as the spans' JSON size (`spanSize`). */
  maxBytes: number;
  /** Most spans kept, over all traces (default: unbounded but for bytes). */
  maxSpans?: number | undefined;
  thresholds?: Partial<FindingThresholds> | undefined;
}

export interface TraceFilter {
  service?: string | undefined;
  /** Matches any procedure span whose name contains this text. */
  procedure?: string | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  errorsOnly?: boolean | undefined;
  /** A finding kind, or `any` for a trace with at least one finding. */
  finding?: FindingKind | 'any' | undefined;
  /** A trace id, or the start of one. */
  traceId?: string | undefined;
  /** Some span has this attribute with this value (compared as text). */
  attribute?: { key: string; value: string } | undefined;
  /** The trace started at or after / before this epoch millisecond. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit?: number | undefined;
}

/** One stored trace with what was worked out from it. */
export interface StoredTrace {
  traceId: string;
  spans: readonly StoredSpan[];
  summary: TraceSummary;
  findings: Finding[];
}

interface Entry {
  spans: StoredSpan[];
  bytes: number;
  worked: { summary: TraceSummary; findings: Finding[] } | undefined;
}

export interface TraceStore {
  add(spans: readonly StoredSpan[]): void;
  list(filter?: TraceFilter): { traces: TraceSummary[]; matched: number };
  get(traceId: string): StoredSpan[] | undefined;
  /** A trace with its summary and findings. */
  trace(traceId: string): StoredTrace | undefined;
  /** Every stored trace, oldest first. */
  all(): Iterable<StoredTrace>;
  /** Called with the ids of the traces an `add` touched. Returns the unsubscribe. */
  onChange(listener: (traceIds: readonly string[]) => void): () => void;
  /** What is held now, and `received`: every span accepted since start, evicted or not. */
  stats(): {
    traces: number;
    spans: number;
    bytes: number;
    received: number;
    dropped: number;
    services: string[];
    limits: { traces: number; spans: number; bytes: number };
  };
}

const asText = (value: AttributeValue | undefined) =>
  value === undefined || value === null
    ? undefined
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

function matches(entry: Entry, summary: TraceSummary, filter: TraceFilter): boolean {
  if (filter.service && !summary.services.includes(filter.service)) return false;
  if (filter.minDurationMs !== undefined && summary.durationMs < filter.minDurationMs) return false;
  if (filter.maxDurationMs !== undefined && summary.durationMs > filter.maxDurationMs) return false;
  if (filter.errorsOnly && summary.errorCount === 0) return false;
  if (filter.traceId && !summary.traceId.startsWith(filter.traceId)) return false;
  if (filter.fromMs !== undefined && summary.startMs < filter.fromMs) return false;
  if (filter.toMs !== undefined && summary.startMs > filter.toMs) return false;
  if (filter.finding === 'any' && summary.findingKinds.length === 0) return false;
  if (filter.finding && filter.finding !== 'any' && !summary.findingKinds.includes(filter.finding))
    return false;
  const { procedure, attribute } = filter;
  if (procedure && !entry.spans.some((span) => isProcedure(span) && span.name.includes(procedure))) {
    return false;
  }
  if (
    attribute &&
    !entry.spans.some(
      (span) =>
        Object.hasOwn(span.attributes, attribute.key) &&
        asText(span.attributes[attribute.key]) === attribute.value,
    )
  ) {
    return false;
  }
  return true;
}

/** An in-memory store of recent traces, bounded by traces, spans and bytes, oldest dropped first. */
export function createTraceStore(options: TraceStoreOptions): TraceStore {
  const { maxTraces, maxBytes } = options;
  const maxSpans = options.maxSpans ?? Number.POSITIVE_INFINITY;
  const thresholds = { ...defaultThresholds, ...options.thresholds };
  // A Map iterates in insertion order, so its first entry is always the oldest trace.
  const traces = new Map<string, Entry>();
  const listeners = new Set<(traceIds: readonly string[]) => void>();
  let bytes = 0;
  let spanCount = 0;
  let received = 0;
  let dropped = 0;

  const worked = (traceId: string, entry: Entry) => {
    if (!entry.worked) {
      const findings = findFindings(entry.spans, thresholds);
      entry.worked = { summary: summarizeTrace(traceId, entry.spans, findings), findings };
    }
    return entry.worked;
  };
  const stored = (traceId: string, entry: Entry): StoredTrace => ({
    traceId,
    spans: entry.spans,
    ...worked(traceId, entry),
  });

  const evict = () => {
    while (traces.size > maxTraces || bytes > maxBytes || spanCount > maxSpans) {
      const oldest = traces.entries().next();
      if (oldest.done) return;
      const [traceId, entry] = oldest.value;
      traces.delete(traceId);
      bytes -= entry.bytes;
      spanCount -= entry.spans.length;
      dropped += 1;
    }
  };

  return {
    add(spans) {
      received += spans.length;
      const touched = new Set<string>();
      for (const span of spans) {
        let entry = traces.get(span.traceId);
        if (!entry) {
          entry = { spans: [], bytes: 0, worked: undefined };
          traces.set(span.traceId, entry);
        }
        const size = spanSize(span);
        entry.spans.push(span);
        entry.bytes += size;
        entry.worked = undefined;
        bytes += size;
        spanCount += 1;
        touched.add(span.traceId);
      }
      evict();
      const kept = [...touched].filter((traceId) => traces.has(traceId));
      if (kept.length > 0) for (const listener of listeners) listener(kept);
    },
    list(filter = {}) {
      const found: TraceSummary[] = [];
      for (const [traceId, entry] of traces) {
        const { summary } = worked(traceId, entry);
        if (matches(entry, summary, filter)) found.push(summary);
      }
      found.sort((a, b) => b.startMs - a.startMs);
      return { traces: found.slice(0, filter.limit ?? 100), matched: found.length };
    },
    get(traceId) {
      const entry = traces.get(traceId);
      return entry ? [...entry.spans].sort((a, b) => a.startMs - b.startMs) : undefined;
    },
    trace(traceId) {
      const entry = traces.get(traceId);
      return entry ? stored(traceId, entry) : undefined;
    },
    *all() {
      for (const [traceId, entry] of traces) yield stored(traceId, entry);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats() {
      const services = new Set<string>();
      for (const [traceId, entry] of traces)
        for (const service of worked(traceId, entry).summary.services) services.add(service);
      return {
        traces: traces.size,
        spans: spanCount,
        bytes,
        received,
        dropped,
        services: [...services].sort(),
        limits: { traces: maxTraces, spans: Number.isFinite(maxSpans) ? maxSpans : -1, bytes: maxBytes },
      };
    },
  };
}
