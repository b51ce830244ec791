import { TRACE_KEEP_ATTRIBUTE } from '@mesh/wire';
import { type Span as ApiSpan, type Context, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { LeanSpan } from './lean-span.js';

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

// Each recorded unsampled span of a local trace with more than its root points at that trace
// through this property (a WeakMap keyed by span costs the garbage collector more than the span
// itself), so a local trace goes with its spans, and a root that never ends leaks nothing. A
// root alone (the common call: one span, no child) gets no local trace at all: its own end
// decides, from the span itself, and a kept one is marked so spans started later follow it.
const LOCAL = Symbol('mesh.localTrace');
type WithLocal = { [LOCAL]?: LocalTrace };
const localOf = (span: object): LocalTrace | undefined => (span as WithLocal)[LOCAL];
let activeRule: { slowMs: number; keepErrors: boolean } | undefined;

/** Why a local trace is kept for what its span `span` says (status, the callee's word), if so. */
function keptBySpan(span: ReadableSpan, keepErrors: boolean): KeptBy | undefined {
  if (keepErrors && span.status.code === SpanStatusCode.ERROR) return 'error';
  if (attributeOf(span, TRACE_KEEP_ATTRIBUTE) === true) return 'peer';
  return undefined;
}

/** Milliseconds of an hrtime (no arrays made, unlike hrTime() and its helpers). */
const msOf = (time: readonly [number, number]): number => time[0] * 1e3 + time[1] / 1e6;

// A lean span (every call span) answers the rule's questions without making the attributes
// or the times an exporter reads: most of the spans it is asked about are then dropped.

/** `span.attributes[key]`. */
const attributeOf = (span: ReadableSpan, key: string) =>
  span instanceof LeanSpan ? span.attribute(key) : span.attributes[key];

/** How long a span has run so far, or ran once ended, in milliseconds. */
function elapsedMsOf(span: ReadableSpan): number {
  if (span instanceof LeanSpan) return span.elapsedMs();
  return span.ended ? msOf(span.duration) : nowMs() - msOf(span.startTime);
}

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
  activeRule = { slowMs, keepErrors };
  const forward = (span: ReadableSpan) => {
    for (const processor of processors) processor.onEnd(span);
  };
  const decide = (local: LocalTrace) => {
    const rootMs = elapsedMsOf(local.root);
    if (!local.keptBy && slowMs > 0 && rootMs >= slowMs) local.keptBy = 'slow';
    local.decided = local.keptBy ? 'keep' : 'drop';
    if (local.keptBy) {
      for (const span of local.held) forward(asKept(span));
      forward(asKept(local.root, local.keptBy));
    }
    local.held.length = 0;
  };
  /** The end of a root that had no child: nothing held, so nothing but itself to send. */
  const decideAlone = (root: ReadableSpan) => {
    let keptBy = keptBySpan(root, keepErrors);
    if (!keptBy && slowMs > 0 && elapsedMsOf(root) >= slowMs) keptBy = 'slow';
    if (!keptBy) return;
    (root as WithLocal)[LOCAL] = { root: root as Span, held: [], keptBy, decided: 'keep' };
    forward(asKept(root, keptBy));
  };
  return {
    onStart(span: Span, parentContext: Context) {
      for (const processor of processors) processor.onStart(span, parentContext);
      if (isSampled(span)) return;
      const parent = trace.getSpan(parentContext);
      // A local root: nothing to do until it ends or a child starts under it.
      if (!parent || parent.spanContext().isRemote) return;
      let local = localOf(parent);
      if (!local) {
        // Under a local span that is not an unsampled span of ours (a sampled one, or one
        // without a recording), the span is a local root of its own.
        if (isSampled(parent) || !('startTime' in parent)) return;
        // The parent is a local root that had no child until now; one that has ended without
        // a mark was dropped (a kept one is marked), so what starts under it is dropped too.
        const root = parent as Span;
        local = { root, held: [], keptBy: undefined, decided: root.ended ? 'drop' : undefined };
        (root as WithLocal)[LOCAL] = local;
      }
      (span as WithLocal)[LOCAL] = local;
    },
    onEnding(span: Span) {
      for (const processor of processors) processor.onEnding?.(span);
    },
    onEnd(span: ReadableSpan) {
      if (isSampled(span)) return forward(span);
      const local = localOf(span);
      if (!local) return decideAlone(span);
      if (local.decided === 'drop') return;
      if (local.decided === 'keep') return forward(asKept(span));
      local.keptBy ??= keptBySpan(span, keepErrors);
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
  if (!activeRule || isSampled(span)) return false;
  const local = localOf(span);
  if (local) {
    if (local.decided) return local.decided === 'keep';
    if (local.keptBy) return true;
    return activeRule.slowMs > 0 && elapsedMsOf(local.root) >= activeRule.slowMs;
  }
  // A root with no child (or a span of another provider, which has no start time to read).
  const alone = span as Partial<ReadableSpan>;
  if (!(span instanceof LeanSpan) && (!alone.startTime || !alone.status || !alone.attributes)) return false;
  if (keptBySpan(alone as ReadableSpan, activeRule.keepErrors)) return true;
  return activeRule.slowMs > 0 && elapsedMsOf(alone as ReadableSpan) >= activeRule.slowMs;
}

/** Now, in milliseconds since the epoch as span start times count them. */
const nowMs = (): number => performance.timeOrigin + performance.now();
