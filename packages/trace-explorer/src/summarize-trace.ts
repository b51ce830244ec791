import type { Finding, FindingKind } from './find-findings.js';
import { isProcedure, numberOf } from './span-facts.js';
import type { StoredSpan } from './stored-span.js';

/** A finding as the trace list shows it: its badge, and the span it points at. */
export type FindingBrief = Pick<Finding, 'kind' | 'spanId' | 'count' | 'label'>;

/** What the trace list shows for one trace. */
export interface TraceSummary {
  traceId: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  services: string[];
  /** The outermost mesh procedure span (`<service>.<procedure>`), else the root span's name. */
  procedure: string;
  rootService: string;
  queryCount: number;
  queryMs: number;
  cacheHits: number;
  cacheMisses: number;
  errorCount: number;
  /** What is wrong with the trace (n+1-query, n+1-call, cache-miss-storm, slow-before-answer). */
  findings: FindingBrief[];
  findingKinds: FindingKind[];
}

function depthOf(span: StoredSpan, byId: Map<string, StoredSpan>): number {
  let depth = 0;
  for (let parent = span.parentSpanId; parent && depth < 1000; depth += 1) {
    parent = byId.get(parent)?.parentSpanId;
  }
  return depth;
}

/**
 * Sums a trace's figures. Query and cache counts come from the kit's procedure spans only:
 * nested procedure calls run in other services, so their counts are not double-counted.
 */
export function summarizeTrace(
  traceId: string,
  spans: readonly StoredSpan[],
  findings: readonly Finding[] = [],
): TraceSummary {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  const services = new Set<string>();
  const summary = { queryCount: 0, queryMs: 0, cacheHits: 0, cacheMisses: 0, errorCount: 0 };
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  let root: StoredSpan | undefined;
  let outerProcedure: { span: StoredSpan; depth: number } | undefined;
  for (const span of spans) {
    startMs = Math.min(startMs, span.startMs);
    endMs = Math.max(endMs, span.startMs + span.durationMs);
    services.add(span.service);
    if (span.status === 'error') summary.errorCount += 1;
    if (!span.parentSpanId || !byId.has(span.parentSpanId)) {
      if (!root || span.startMs < root.startMs) root = span;
    }
    if (isProcedure(span)) {
      summary.queryCount += numberOf(span, 'db.query_count');
      summary.queryMs += numberOf(span, 'db.query_ms');
      summary.cacheHits += numberOf(span, 'cache.hits');
      summary.cacheMisses += numberOf(span, 'cache.misses');
      const depth = depthOf(span, byId);
      if (!outerProcedure || depth < outerProcedure.depth) outerProcedure = { span, depth };
    }
  }
  const named = outerProcedure?.span ?? root;
  return {
    traceId,
    startMs,
    durationMs: Math.max(0, endMs - startMs),
    spanCount: spans.length,
    services: [...services].sort(),
    procedure: named?.name ?? '',
    rootService: root?.service ?? '',
    ...summary,
    findings: findings.map(({ kind, spanId, count, label }) => ({ kind, spanId, count, label })),
    findingKinds: [...new Set(findings.map((finding) => finding.kind))],
  };
}
