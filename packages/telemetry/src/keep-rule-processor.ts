import { TRACE_KEEP_ATTRIBUTE } from '@mesh/wire';
import { type Span as ApiSpan, type Context, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { hrTime, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** On the local root of a trace exported by the keep rule: why (`error`, `slow` or `peer`). */
export const TRACE_KEPT_BY_ATTRIBUTE = 'mesh.trace.kept_by';

export type KeptBy = 'error' | 'slow' | 'peer';

export interface KeepRuleOptions {
  /** Where sampled spans, and the unsampled ones the rule keeps, go (the exporting processors). */
  processors: readonly SpanProcessor[];
  /** A local root lasting this long or more keeps its trace; 0: latency keeps nothing. */
  slowMs: number;
  /** A span ending in error keeps its local trace. */
  keepErrors: boolean;
  /** Spans held per local trace while it runs; later ones are not held (a runaway loop). */
  maxHeldSpans?: number;
}

/**
 * One process's part of an unsampled trace: the spans under one local root (a span whose
 * parent is remote or absent), held until the root ends.
 */
interface LocalTrace {
  root: Span;
  held: ReadableSpan[];
  keptBy: KeptBy | undefined;
  decided: 'keep' | 'drop' | undefined;
}

// Each recorded unsampled span points at its local trace through this property (a WeakMap
// keyed by span costs the garbage collector more than the span itself), so a local trace goes
// with its spans, and a root that never ends leaks nothing.
const LOCAL = Symbol('mesh.localTrace');
type WithLocal = { [LOCAL]?: LocalTrace };
const localOf = (span: object): LocalTrace | undefined => (span as WithLocal)[LOCAL];
let activeRule: { slowMs: number } | undefined;

const isSampled = (span: { spanContext(): { traceFlags: number } }) =>
  (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;

/** The span as the exporters take it: sampled (it is, now), the root saying why. */
function asKept(span: ReadableSpan, keptBy?: KeptBy): ReadableSpan {
  const spanContext = { ...span.spanContext(), traceFlags: TraceFlags.SAMPLED };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: keptBy ? { ...span.attributes, [TRACE_KEPT_BY_ATTRIBUTE]: keptBy } : span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * The keep rule, in front of the exporting processors. Sampled spans pass straight through.
 * Unsampled ones (recorded because the sampler is wrapped in AlwaysRecord) are held per
 * local trace; when its root ends, they are all exported if a span of it ended in error, a
 * span carries a callee's keep word (`mesh.trace.keep`, set by the client), or the root ran
 * `slowMs` or longer; otherwise dropped. Spans of that local trace ending later follow the
 * decision.
 */
export function createKeepRuleProcessor({
  processors,
  slowMs,
  keepErrors,
  maxHeldSpans = 1_000,
}: KeepRuleOptions): SpanProcessor {
  activeRule = { slowMs };
  const forward = (span: ReadableSpan) => {
    for (const processor of processors) processor.onEnd(span);
  };
  const decide = (local: LocalTrace) => {
    const rootMs = hrTimeToMilliseconds(local.root.duration);
    if (!local.keptBy && slowMs > 0 && rootMs >= slowMs) local.keptBy = 'slow';
    local.decided = local.keptBy ? 'keep' : 'drop';
    if (local.keptBy) {
      for (const span of local.held) forward(asKept(span));
      forward(asKept(local.root, local.keptBy));
    }
    local.held = [];
  };
  return {
    onStart(span: Span, parentContext: Context) {
      for (const processor of processors) processor.onStart(span, parentContext);
      if (isSampled(span)) return;
      const parent = trace.getSpan(parentContext);
      const local = parent && !parent.spanContext().isRemote ? localOf(parent) : undefined;
      (span as WithLocal)[LOCAL] = local ?? { root: span, held: [], keptBy: undefined, decided: undefined };
    },
    onEnding(span: Span) {
      for (const processor of processors) processor.onEnding?.(span);
    },
    onEnd(span: ReadableSpan) {
      if (isSampled(span)) return forward(span);
      const local = localOf(span);
      if (!local || local.decided === 'drop') return;
      if (local.decided === 'keep') return forward(asKept(span));
      if (keepErrors && span.status.code === SpanStatusCode.ERROR) local.keptBy ??= 'error';
      if (span.attributes[TRACE_KEEP_ATTRIBUTE] === true) local.keptBy ??= 'peer';
      if (span === local.root) return decide(local);
      if (local.held.length < maxHeldSpans) local.held.push(span);
    },
    forceFlush: async () => {
      await Promise.all(processors.map((processor) => processor.forceFlush()));
    },
    shutdown: async () => {
      await Promise.all(processors.map((processor) => processor.shutdown()));
    },
  };
}

/**
 * Whether the keep rule exports the unsampled local trace `span` belongs to, as far as is
 * known now: a span of it ended in error or carried a callee's word, or its root has run
 * past the threshold already. What a callee answers its caller with (the kit sends the word
 * when this is true); false for a sampled span, whose caller is sampled too.
 */
export function isKeptByRule(span: ApiSpan): boolean {
  const local = localOf(span);
  if (!local || !activeRule) return false;
  if (local.decided) return local.decided === 'keep';
  if (local.keptBy) return true;
  const rootMs = hrTimeToMilliseconds(hrTime()) - hrTimeToMilliseconds(local.root.startTime);
  return activeRule.slowMs > 0 && rootMs >= activeRule.slowMs;
}
