import { latency } from './percentiles.js';
import { isProcedure, spanIndex } from './span-facts.js';
import type { StoredSpan } from './stored-span.js';
import type { StoredTrace } from './trace-store.js';

export interface ServiceNode {
  service: string;
  spans: number;
  /** Procedure calls the service served, and how many failed. */
  calls: number;
  errors: number;
}

export interface ServiceEdge {
  from: string;
  to: string;
  calls: number;
  /** Calls a second over the stored window. */
  rate: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ServiceMap {
  nodes: ServiceNode[];
  edges: ServiceEdge[];
  /** The stored window the rates are over: first span start to last span end. */
  window: { fromMs: number; toMs: number; seconds: number };
}

/** Whether a cross-service call failed: its entry span, or a procedure span under it in that service. */
function failed(entry: StoredSpan, children: Map<string, StoredSpan[]>): boolean {
  const stack = [entry];
  while (stack.length > 0) {
    const span = stack.pop() as StoredSpan;
    if (span.status === 'error') return true;
    for (const child of children.get(span.spanId) ?? [])
      if (child.service === entry.service) stack.push(child);
  }
  return false;
}

/**
 * Services as nodes, calls as edges: a call is a span whose parent is in another service
 * (the callee's entry span), so a batch of procedures in one request counts once.
 */
export function buildServiceMap(traces: Iterable<StoredTrace>): ServiceMap {
  const nodes = new Map<string, ServiceNode>();
  const edges = new Map<string, { from: string; to: string; durations: number[]; errors: number }>();
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const trace of traces) {
    const index = spanIndex(trace.spans);
    const children = new Map<string, StoredSpan[]>();
    for (const span of trace.spans) {
      if (!span.parentSpanId) continue;
      const list = children.get(span.parentSpanId);
      if (list) list.push(span);
      else children.set(span.parentSpanId, [span]);
    }
    for (const span of trace.spans) {
      fromMs = Math.min(fromMs, span.startMs);
      toMs = Math.max(toMs, span.startMs + span.durationMs);
      const node = nodes.get(span.service) ?? { service: span.service, spans: 0, calls: 0, errors: 0 };
      node.spans += 1;
      if (isProcedure(span)) {
        node.calls += 1;
        if (span.status === 'error') node.errors += 1;
      }
      nodes.set(span.service, node);
      const parent = index.parentOf(span);
      if (!parent || parent.service === span.service) continue;
      const key = `${parent.service} ${span.service}`;
      const edge = edges.get(key) ?? { from: parent.service, to: span.service, durations: [], errors: 0 };
      edge.durations.push(span.durationMs);
      if (failed(span, children)) edge.errors += 1;
      edges.set(key, edge);
    }
  }
  const seconds = Number.isFinite(fromMs) ? Math.max(1, (toMs - fromMs) / 1000) : 0;
  return {
    nodes: [...nodes.values()].sort((a, b) => a.service.localeCompare(b.service)),
    edges: [...edges.values()].map(({ from, to, durations, errors }) => {
      const { p50, p99 } = latency(durations);
      return {
        from,
        to,
        calls: durations.length,
        rate: seconds > 0 ? durations.length / seconds : 0,
        errors,
        errorRate: durations.length > 0 ? errors / durations.length : 0,
        p50Ms: p50,
        p99Ms: p99,
      };
    }),
    window: Number.isFinite(fromMs) ? { fromMs, toMs, seconds } : { fromMs: 0, toMs: 0, seconds: 0 },
  };
}
