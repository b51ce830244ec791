import {
  type AttributeValue,
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanLimits,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { LeanSpanLimits } from './lean-span.js';
import { LeanTracer } from './lean-tracer.js';
import { type ResourceSpansPart, writeSpan, writeTraceRequest } from './otlp-span-encoding.js';
import { ProtobufWriter } from './protobuf-writer.js';

const LIMITS: LeanSpanLimits = {
  attributeCountLimit: 12,
  attributeValueLengthLimit: 64,
  eventCountLimit: 2,
  linkCountLimit: 2,
  attributePerEventCountLimit: 2,
  attributePerLinkCountLimit: 2,
};

/** What `EncodedBatchSpanProcessor` does with ended spans: each written into its scope's part, then one request. */
function encode(spans: ReadableSpan[]): Uint8Array {
  const parts = new Map<
    ReadableSpan['resource'],
    Map<ReadableSpan['instrumentationScope'], ProtobufWriter>
  >();
  for (const span of spans) {
    const scopes = parts.get(span.resource) ?? new Map();
    parts.set(span.resource, scopes);
    const writer = scopes.get(span.instrumentationScope) ?? new ProtobufWriter(16);
    scopes.set(span.instrumentationScope, writer);
    writeSpan(writer, span);
  }
  const request: ResourceSpansPart[] = [...parts].map(([resource, scopes]) => ({
    resource,
    scopes: [...scopes].map(([scope, writer]) => ({ scope, spans: writer.written() })),
  }));
  const writer = new ProtobufWriter(8);
  writeTraceRequest(writer, request);
  return writer.written();
}

/** Spans of every shape an exporter meets, from the SDK's tracer and the lean one, as they end. */
function spansOfEveryShape(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const processors = [new SimpleSpanProcessor({ exporter })];
  const resource = resourceFromAttributes(
    { 'service.name': 'encoding-test', 'host.name': 'naïve-hôte', 'process.pid': 4242 },
    { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' },
  );
  const provider = new TracerProvider({
    resource,
    spanLimits: LIMITS as SpanLimits,
    spanProcessors: processors,
  });
  const lean = new LeanTracer({
    scope: { name: '@mesh/kit' },
    sampler: new AlwaysOnSampler(),
    processors,
    resource,
    limits: LIMITS,
  });
  const scoped = provider.getTracer('pg', '1.2.3', { schemaUrl: 'https://example.com/schema' });
  const other = provider.getTracer('ioredis');
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0AF7651916CD43DD8448EB211C80319C',
    spanId: 'B7AD6B7169203331',
    traceFlags: TraceFlags.SAMPLED,
    traceState: createTraceState('vendor=value,other=1'),
    isRemote: true,
  });
  const everything = (tracer: Tracer) => {
    const root = tracer.startSpan(
      'mesh.ping',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'rpc.system': 'trpc',
          'mesh.batch_size': 1,
          negative: -42,
          large: 2 ** 40,
          beyond: 2 ** 63,
          ratio: 0.125,
          nan: Number.NaN,
          yes: true,
          no: false,
          empty: '',
          accented: 'déjà vu ✓',
          long: 'x'.repeat(300),
        },
        links: [
          {
            context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE },
            attributes: { why: 'fan-in', n: 3, extra: 'dropped' },
          },
          {
            context: {
              traceId: 'c'.repeat(32),
              spanId: 'd'.repeat(16),
              traceFlags: TraceFlags.SAMPLED,
              isRemote: true,
              traceState: createTraceState('k=v'),
            },
          },
        ],
      },
      remote,
    );
    root.setAttribute('names', ['a', 'b', '']);
    root.setAttribute('counts', [1, 2.5, -3]);
    root.setAttribute('flags', [true, false]);
    root.setAttribute('over.the.limit', 'dropped');
    root.addEvent('first', { step: 1, label: 'one', dropped: true });
    root.addEvent('second', [1_700_000_000, 123_456_789]);
    root.addEvent('third');
    root.recordException(new Error('boom'));
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.setStatus({ code: SpanStatusCode.OK });
    child.end([1_800_000_000, 999_999_999]);
    root.end();
  };
  everything(lean);
  everything(scoped);
  everything(other);
  const alone = lean.startSpan('alone', { kind: SpanKind.CLIENT }, ROOT_CONTEXT);
  alone.end();
  return exporter.getFinishedSpans();
}

/** A span as an exporter reads it, made by hand for what no tracer makes (values, scopes, kinds). */
function handMade(overrides: Partial<ReadableSpan>): ReadableSpan {
  const context = { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceFlags: TraceFlags.SAMPLED };
  return {
    name: 'hand-made',
    kind: SpanKind.INTERNAL,
    spanContext: () => context,
    parentSpanContext: undefined,
    startTime: [1_700_000_000, 1],
    endTime: [1_700_000_001, 2],
    status: { code: SpanStatusCode.UNSET },
    attributes: {},
    links: [],
    events: [],
    duration: [1, 1],
    ended: true,
    resource: resourceFromAttributes({ 'service.name': 'hand-made' }),
    instrumentationScope: { name: 'hand' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

describe('OTLP span encoding', () => {
  it('makes the bytes the SDK serializer makes of the same spans, whatever their shape', () => {
    const spans = spansOfEveryShape();
    expect(spans).toHaveLength(7);
    const expected = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    expect(Buffer.from(encode(spans)).equals(Buffer.from(expected))).toBe(true);
  });

  it('makes those bytes span by span, a request of one span as of many', () => {
    for (const span of spansOfEveryShape()) {
      const expected = ProtobufTraceSerializer.serializeRequest([span]) as Uint8Array;
      expect(Buffer.from(encode([span])).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    }
  });

  it('makes those bytes for values and shapes only a hand-made span has', () => {
    const resource = resourceFromAttributes({ 'service.name': 'hand-made' });
    const spans = [
      handMade({
        resource,
        attributes: {
          bytes: new Uint8Array([0, 1, 255]) as unknown as AttributeValue,
          negativeZero: -0,
          infinite: Number.POSITIVE_INFINITY,
          negativeInfinite: Number.NEGATIVE_INFINITY,
          farBelowZero: -(2 ** 40),
          nested: { a: 1, b: ['x'] } as unknown as AttributeValue,
          holes: [null, undefined, 'x'],
          surrogate: 'lone \ud800 half',
        },
      }),
      handMade({
        resource,
        kind: undefined as unknown as SpanKind,
        status: { code: SpanStatusCode.UNSET, message: 'a message without an error' },
        events: [{ name: 'bare', time: [1_700_000_000, 5] }],
        links: [{ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0 } }],
        instrumentationScope: {
          name: 'scoped',
          version: '2.0.0',
          schemaUrl: 'https://example.com/scope',
          attributes: { team: 'payments' },
          droppedAttributesCount: 2,
        } as ReadableSpan['instrumentationScope'],
      }),
    ];
    const expected = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    expect(Buffer.from(encode(spans)).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });

  it('writes an id of odd length as the SDK serializer does: a whole message, the last digit left out', () => {
    const odd = handMade({
      spanContext: () => ({
        traceId: 'f'.repeat(31),
        spanId: 'e'.repeat(15),
        traceFlags: TraceFlags.SAMPLED,
      }),
    });
    const expected = ProtobufTraceSerializer.serializeRequest([odd]) as Uint8Array;
    expect(Buffer.from(encode([odd])).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });

  it('writes lengths of every size as the shortest varint, past the buffer it started with', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanLimits: { attributeValueLengthLimit: 1 << 22 },
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('sizes');
    for (const size of [0, 100, 127, 128, 16_383, 16_384, 2_097_152]) {
      tracer.startSpan(`size ${size}`, { attributes: { body: 'y'.repeat(size) } }).end();
    }
    const spans = exporter.getFinishedSpans();
    const expected = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    expect(expected.length).toBeGreaterThan(2_097_152 + 16_384);
    expect(Buffer.from(encode(spans)).equals(Buffer.from(expected))).toBe(true);
  });
});
