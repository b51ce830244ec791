import type { FindingKind } from './find-findings.js';
import { histogram, latency } from './percentiles.js';
import { isProcedure, numberOf } from './span-facts.js';
import type { StoredTrace } from './trace-store.js';

export interface ProcedureListing {
  procedure: string;
  service: string;
  calls: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  findings: number;
}

export interface ProcedureStats {
  procedure: string;
  service: string;
  calls: number;
  errors: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  histogram: Array<{ le: number | null; count: number }>;
  queriesPerCall: { mean: number; max: number };
  cache: { hits: number; misses: number; hitRatio: number | null };
  /** Findings under this procedure's spans (or naming it), by kind and label, with a trace to open. */
  findings: Array<{ kind: FindingKind; label: string; traces: number; traceId: string }>;
  slowest: Array<{ traceId: string; spanId: string; durationMs: number; startMs: number; status: string }>;
}

/** Every procedure seen in the stored traces, busiest first. */
export function listProcedures(traces: Iterable<StoredTrace>): ProcedureListing[] {
  const byName = new Map<
    string,
    { service: string; durations: number[]; errors: number; findings: number }
  >();
  for (const trace of traces) {
    const here = new Set<string>();
    for (const span of trace.spans) {
      if (!isProcedure(span)) continue;
      const entry = byName.get(span.name) ?? { service: span.service, durations: [], errors: 0, findings: 0 };
      entry.durations.push(span.durationMs);
      if (span.status === 'error') entry.errors += 1;
      byName.set(span.name, entry);
      if (trace.findings.some((finding) => finding.spanId === span.spanId || finding.procedure === span.name))
        here.add(span.name);
    }
    for (const name of here) (byName.get(name) as { findings: number }).findings += 1;
  }
  return [...byName]
    .map(([procedure, { service, durations, errors, findings }]) => {
      const { p50, p99 } = latency(durations);
      return { procedure, service, calls: durations.length, errors, p50Ms: p50, p99Ms: p99, findings };
    })
    .sort((a, b) => b.calls - a.calls);
}

/** One procedure's figures over the stored window; `calls: 0` when none of its spans is stored. */
export function procedureStats(traces: Iterable<StoredTrace>, procedure: string): ProcedureStats {
  const durations: number[] = [];
  const queries: number[] = [];
  let service = '';
  let errors = 0;
  let hits = 0;
  let misses = 0;
  const slowest: ProcedureStats['slowest'] = [];
  const findings = new Map<string, { kind: FindingKind; label: string; traces: number; traceId: string }>();
  for (const trace of traces) {
    const spans = trace.spans.filter((span) => isProcedure(span) && span.name === procedure);
    if (spans.length === 0) continue;
    const ids = new Set(spans.map((span) => span.spanId));
    for (const span of spans) {
      service = span.service;
      durations.push(span.durationMs);
      queries.push(numberOf(span, 'db.query_count'));
      hits += numberOf(span, 'cache.hits');
      misses += numberOf(span, 'cache.misses');
      if (span.status === 'error') errors += 1;
      slowest.push({
        traceId: trace.traceId,
        spanId: span.spanId,
        durationMs: span.durationMs,
        startMs: span.startMs,
        status: span.status,
      });
    }
    for (const finding of trace.findings) {
      if (!ids.has(finding.spanId) && finding.procedure !== procedure) continue;
      const key = `${finding.kind} ${finding.label}`;
      const entry = findings.get(key) ?? {
        kind: finding.kind,
        label: finding.label,
        traces: 0,
        traceId: trace.traceId,
      };
      entry.traces += 1;
      entry.traceId = trace.traceId;
      findings.set(key, entry);
    }
  }
  slowest.sort((a, b) => b.durationMs - a.durationMs);
  const lookups = hits + misses;
  return {
    procedure,
    service,
    calls: durations.length,
    errors,
    latency: latency(durations),
    histogram: histogram(durations),
    queriesPerCall: {
      mean: queries.length > 0 ? queries.reduce((a, b) => a + b, 0) / queries.length : 0,
      max: queries.reduce((most, count) => Math.max(most, count), 0),
    },
    cache: { hits, misses, hitRatio: lookups > 0 ? hits / lookups : null },
    findings: [...findings.values()].sort((a, b) => b.traces - a.traces),
    slowest: slowest.slice(0, 10),
  };
}
