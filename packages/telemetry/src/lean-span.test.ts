import {
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { hrTimeToMilliseconds, suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  createAlwaysRecordSampler,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
  type SpanLimits,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { LeanSpan, type LeanSpanLimits } from './lean-span.js';
import { LeanTracer } from './lean-tracer.js';

const LIMITS: LeanSpanLimits = {
  attributeCountLimit: 6,
  attributeValueLengthLimit: 8,
  eventCountLimit: 2,
  linkCountLimit: 1,
  attributePerEventCountLimit: 2,
  attributePerLinkCountLimit: 1,
};
const resource = resourceFromAttributes({ 'service.name': 'lean-span-test' });

/** The SDK's tracer and a lean one, alike: one sampler, the same limits, each its own exporter. */
function twins(sampler: Sampler = new AlwaysOnSampler(), limits: LeanSpanLimits = LIMITS) {
  const sdkExporter = new InMemorySpanExporter();
  const leanExporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler,
    resource,
    spanLimits: limits as SpanLimits,
    spanProcessors: [new SimpleSpanProcessor({ exporter: sdkExporter })],
  });
  const lean = new LeanTracer({
    scope: { name: 'twin' },
    sampler,
    resource,
    limits,
    processors: [new SimpleSpanProcessor({ exporter: leanExporter })],
  });
  return { sdk: provider.getTracer('twin'), lean, sdkExporter, leanExporter };
}

const remoteParent: Context = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  traceState: createTraceState('vendor=value'),
  isRemote: true,
});

/** A span's record as an exporter sees it, without what differs by nature (ids, clock readings). */
function record(span: ReadableSpan) {
  return {
    name: span.name,
    kind: span.kind,
    traceFlags: span.spanContext().traceFlags,
    parent: span.parentSpanContext,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events.map(({ name, attributes, droppedAttributesCount }) => ({
      name,
      attributes,
      droppedAttributesCount,
    })),
    ended: span.ended,
    resource: span.resource.attributes,
    scope: span.instrumentationScope.name,
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
  };
}

/** Everything a procedure, a checkpoint or an instrumentation may do to a span, in one go. */
function exercise(tracer: Tracer, parent: Context): void {
  const span = tracer.startSpan(
    'exercised',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'rpc.system': 'trpc',
        'mesh.batch_size': 3,
        gone: undefined,
        long: 'abcdefghijkl',
        '': 'no key',
        fn: (() => 1) as unknown as string,
      },
      links: [{ context: trace.getSpanContext(remoteParent) ?? never(), attributes: { a: 1, b: 2 } }],
    },
    parent,
  );
  span.setAttribute('flag', true);
  span.setAttribute('list', ['x', 'yyyyyyyyyyyy']);
  span.setAttribute('nested', { deep: { n: 1 } });
  span.setAttribute('', 'empty key');
  span.setAttribute('bad', (() => 1) as unknown as string);
  span.setAttribute('one-too-many', 1);
  span.setAttribute('flag', false); // an existing key is overwritten even at the limit
  span.setAttributes({ 'over-the-limit': 2, 'also-over': 'x' });
  span.addEvent('first', { rows: 3, ms: 1.5, extra: 'dropped' });
  span.addEvent('second');
  span.addEvent('third', { ok: true });
  span.recordException(new TypeError('boom'));
  span.setStatus({ code: SpanStatusCode.UNSET });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
  span.updateName('exercised.renamed');
  span.end();
  span.end(); // a second end changes nothing
  span.setAttribute('after-end', 1);
  span.setStatus({ code: SpanStatusCode.OK });
  const settled = tracer.startSpan('settled', {}, parent);
  settled.setStatus({ code: SpanStatusCode.OK });
  settled.setStatus({ code: SpanStatusCode.ERROR, message: 'too late: OK is final' });
  settled.end();
}

function never(): never {
  throw new Error('unreachable');
}

const exported = (exporter: InMemorySpanExporter) => exporter.getFinishedSpans().map(record);

describe('LeanTracer and LeanSpan, against the SDK', () => {
  it('record the same span, attribute for attribute, limits and drops included', () => {
    const { sdk, lean, sdkExporter, leanExporter } = twins();
    exercise(sdk, ROOT_CONTEXT);
    exercise(lean, ROOT_CONTEXT);
    exercise(sdk, remoteParent);
    exercise(lean, remoteParent);
    const sdkSpans = exported(sdkExporter);
    expect(sdkSpans).toHaveLength(4);
    expect(exported(leanExporter)).toEqual(sdkSpans);
    // What the comparison covers, so an SDK that changed its mind would show here too.
    const [, settled, child] = sdkSpans;
    expect(settled?.status).toEqual({ code: SpanStatusCode.OK });
    expect(child?.parent?.spanId).toBe('b7ad6b7169203331');
    expect(child?.attributes).toMatchObject({ long: 'abcdefgh', list: ['x', 'yyyyyyyy'], flag: false });
    expect(child?.dropped[0]).toBeGreaterThan(0);
    expect(child?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
  });

  it('store what was set the same whenever the attributes are read, and answer a probe as they would', () => {
    const { sdk, lean, sdkExporter, leanExporter } = twins();
    for (const tracer of [sdk, lean]) {
      const span = tracer.startSpan(
        'read-midway',
        { attributes: { a: 1, long: 'abcdefghijkl' } },
        ROOT_CONTEXT,
      );
      const readable = span as Span & ReadableSpan;
      span.setAttribute('b', 'two');
      // Read before the span ends (an exporter may): what is set after still counts, in order.
      expect(readable.attributes).toMatchObject({ a: 1, long: 'abcdefgh', b: 'two' });
      span.setAttributes({ a: 10, c: true, d: 4, e: 5 });
      span.setAttribute('past-the-limit', 6);
      span.setAttribute('list', ['x']);
      span.setAttribute('a', 11);
      span.end();
    }
    expect(exported(leanExporter)).toEqual(exported(sdkExporter));
    expect(exported(leanExporter)[0]?.dropped[0]).toBe(2);
    // The probe, on a span whose queue is not stored: the value the attributes would hold.
    const { lean: probed } = twins();
    const span = probed.startSpan('probed', { attributes: { long: 'abcdefghijkl', n: 1 } }, ROOT_CONTEXT);
    span.setAttribute('n', 2);
    span.setAttribute('flag', true);
    const leanSpan = span as LeanSpan;
    expect([leanSpan.attribute('long'), leanSpan.attribute('n'), leanSpan.attribute('flag')]).toEqual([
      'abcdefgh',
      2,
      true,
    ]);
    expect(leanSpan.attribute('absent')).toBeUndefined();
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) span.setAttribute(key, key);
    // Past the count limit (6), the probe says what the limit kept: k4 and k5 were dropped.
    expect([leanSpan.attribute('k3'), leanSpan.attribute('k5')]).toEqual(['k3', undefined]);
    expect(leanSpan.attributes).not.toHaveProperty('k5');
  });

  it('read a value length limit of 0 as none, as the SDK does', () => {
    const { sdk, lean, sdkExporter, leanExporter } = twins(new AlwaysOnSampler(), {
      ...LIMITS,
      attributeValueLengthLimit: 0,
    });
    for (const tracer of [sdk, lean]) {
      tracer.startSpan('unlimited', { attributes: { long: 'abcdefghijkl' } }, ROOT_CONTEXT).end();
    }
    expect(exported(leanExporter)).toEqual(exported(sdkExporter));
    expect(leanExporter.getFinishedSpans()[0]?.attributes.long).toBe('abcdefghijkl');
  });

  it('take the parent trace id and trace state, and a new trace at the root', () => {
    const { lean, leanExporter } = twins();
    lean.startSpan('child', {}, remoteParent).end();
    lean.startSpan('root', {}, ROOT_CONTEXT).end();
    const [child, root] = leanExporter.getFinishedSpans();
    expect(child?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child?.spanContext().traceState?.get('vendor')).toBe('value');
    expect(child?.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(root?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root?.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(root?.parentSpanContext).toBeUndefined();
  });

  it('follow the sampler: not recorded, recorded unsampled, or suppressed, as the SDK', () => {
    const off = twins(new AlwaysOffSampler());
    const dropped = off.lean.startSpan('dropped', {}, ROOT_CONTEXT);
    expect(dropped).not.toBeInstanceOf(LeanSpan);
    expect(dropped.isRecording()).toBe(false);
    expect(dropped.spanContext().traceFlags).toBe(TraceFlags.NONE);
    const seen: string[] = [];
    const recorded = new LeanTracer({
      scope: { name: 'twin' },
      sampler: createAlwaysRecordSampler(new AlwaysOffSampler()),
      resource,
      limits: LIMITS,
      processors: [
        {
          onStart: (span) => seen.push(`start ${span.name}`),
          onEnd: (span) => seen.push(`end ${span.name}`),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const unsampled = recorded.startSpan('unsampled', {}, ROOT_CONTEXT);
    expect(unsampled).toBeInstanceOf(LeanSpan);
    expect(unsampled.spanContext().traceFlags).toBe(TraceFlags.NONE);
    unsampled.end();
    // Recorded, so the processors see it start and end (the keep rule needs both).
    expect(seen).toEqual(['start unsampled', 'end unsampled']);
    const exporting = twins(createAlwaysRecordSampler(new AlwaysOffSampler()));
    exporting.lean.startSpan('unsampled', {}, ROOT_CONTEXT).end();
    // SimpleSpanProcessor exports sampled spans only, as it does the SDK's.
    expect(exporting.leanExporter.getFinishedSpans()).toHaveLength(0);
    const suppressed = twins().lean.startSpan('quiet', {}, suppressTracing(ROOT_CONTEXT));
    expect(trace.isSpanContextValid(suppressed.spanContext())).toBe(false);
  });

  it('time a span by the wall clock at its start and the monotonic clock after', async () => {
    const { lean, leanExporter } = twins();
    const before = Date.now();
    const span = lean.startSpan('timed', {}, ROOT_CONTEXT) as Span & ReadableSpan;
    expect(span.duration).toEqual([-1, -1]); // not ended: the SDK's "no duration yet"
    await new Promise((resolve) => setTimeout(resolve, 20));
    span.addEvent('midway');
    span.end();
    const [done] = leanExporter.getFinishedSpans();
    if (!done) throw new Error('no span exported');
    const start = hrTimeToMilliseconds(done.startTime);
    expect(start).toBeGreaterThanOrEqual(before - 1);
    expect(hrTimeToMilliseconds(done.duration)).toBeGreaterThanOrEqual(19);
    expect(hrTimeToMilliseconds(done.endTime) - start).toBeCloseTo(hrTimeToMilliseconds(done.duration), 3);
    const midway = hrTimeToMilliseconds(done.events[0]?.time ?? never());
    expect(midway).toBeGreaterThan(start);
    expect(midway).toBeLessThanOrEqual(hrTimeToMilliseconds(done.endTime));
  });

  it('end at a given end time, never before the start', () => {
    const { lean, leanExporter } = twins();
    const span = lean.startSpan('given', {}, ROOT_CONTEXT) as Span & ReadableSpan;
    const start = hrTimeToMilliseconds(span.startTime);
    span.end(start + 250);
    const early = lean.startSpan('early', {}, ROOT_CONTEXT);
    early.end(start - 1_000);
    const [given, ended] = leanExporter.getFinishedSpans();
    expect(hrTimeToMilliseconds(given?.duration ?? never())).toBeCloseTo(250, 3);
    expect(ended?.duration).toEqual([0, 0]);
  });
});
