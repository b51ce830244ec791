import { SpanStatusCode } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTraceExplorer, type TraceExplorer } from './build-trace-explorer.js';
import { makeSpans } from './testing-spans.js';

let explorer: TraceExplorer;
beforeEach(async () => {
  explorer = await buildTraceExplorer();
});
afterEach(() => explorer.close());

function post(body: Uint8Array | string, contentType: string) {
  return explorer.app.inject({
    method: 'POST',
    url: '/v1/traces',
    headers: { 'content-type': contentType },
    payload: Buffer.from(body),
  });
}

describe('POST /v1/traces', () => {
  it.each([
    ['protobuf', 'application/x-protobuf', ProtobufTraceSerializer],
    ['JSON', 'application/json', JsonTraceSerializer],
  ] as const)('stores spans sent in %s as the OTel SDK serialises them', async (_name, type, serializer) => {
    const spans = makeSpans();
    const body = serializer.serializeRequest(spans);
    if (!body) throw new Error('the serializer produced nothing');
    const response = await post(body, type);
    expect(response.statusCode).toBe(200);

    const parent = spans.find((span) => span.name === 'analytics.userSummary');
    const traceId = parent?.spanContext().traceId as string;
    const stored = explorer.store.get(traceId);
    expect(stored?.map((span) => span.name).sort()).toEqual(['analytics.userSummary', 'pg.query:SELECT']);
    const procedure = stored?.find((span) => span.name === 'analytics.userSummary');
    expect(procedure).toMatchObject({
      service: 'analytics',
      spanId: parent?.spanContext().spanId,
      attributes: { 'rpc.system': 'trpc', 'db.query_count': 2, 'cache.hits': 1 },
      events: [{ name: 'loaded', attributes: { elapsed_ms: 1.5, rows: 3 } }],
    });
    const child = stored?.find((span) => span.name === 'pg.query:SELECT');
    expect(child?.parentSpanId).toBe(parent?.spanContext().spanId);
    expect(child?.attributes).toMatchObject({ 'big.int': 1099511627776, ratio: 0.25, tags: ['a', 'b'] });
    expect(procedure?.durationMs).toBeGreaterThanOrEqual(child?.durationMs ?? Number.NaN);
  });

  it.each([
    [
      'truncated protobuf',
      'application/x-protobuf',
      () => ProtobufTraceSerializer.serializeRequest(makeSpans())?.subarray(0, 40) ?? '',
    ],
    [
      'garbage bytes as protobuf',
      'application/x-protobuf',
      () => new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1]),
    ],
    ['invalid JSON', 'application/json', () => '{"resourceSpans": ['],
    [
      'JSON of the wrong shape',
      'application/json',
      () => '{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": 1}]}]}]}',
    ],
    [
      'a span with a short trace id',
      'application/json',
      () =>
        JSON.stringify({
          resourceSpans: [
            {
              scopeSpans: [
                {
                  spans: [
                    {
                      traceId: 'ab',
                      spanId: '0102030405060708',
                      startTimeUnixNano: '1',
                      endTimeUnixNano: '2',
                    },
                  ],
                },
              ],
            },
          ],
        }),
    ],
  ])('answers %s with 400 OTLP_MALFORMED and keeps the stored traces', async (_name, type, body) => {
    const good = ProtobufTraceSerializer.serializeRequest(makeSpans());
    if (!good) throw new Error('the serializer produced nothing');
    await post(good, 'application/x-protobuf');
    const before = explorer.store.stats();

    const response = await post(body(), type);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'OTLP_MALFORMED' });
    expect(explorer.store.stats()).toEqual(before);
    expect(before.spans).toBe(2);
  });

  it('keeps no bot token: not in attributes, event attributes or the status message', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'bot-control' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const url = 'https://api.telegram.org/bot123456:SECRET-token_x/answerCallbackQuery';
    const span = provider.getTracer('test').startSpan('POST', {
      attributes: { 'url.full': url, 'url.path': new URL(url).pathname, 'mesh.tried': [url] },
    });
    span.recordException(new Error(`request to ${url} failed`));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `request to ${url} failed` });
    span.end();
    const body = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
    if (!body) throw new Error('the serializer produced nothing');
    expect((await post(body, 'application/x-protobuf')).statusCode).toBe(200);

    const [stored] = explorer.store.get(span.spanContext().traceId) ?? [];
    expect(stored?.attributes['url.full']).toBe('https://api.telegram.org/bot<redacted>/answerCallbackQuery');
    expect(stored?.events[0]?.attributes['exception.message']).toBe(
      'request to https://api.telegram.org/bot<redacted>/answerCallbackQuery failed',
    );
    const served = (await explorer.app.inject(`/api/traces/${span.spanContext().traceId}`)).body;
    expect(served).toContain('bot<redacted>');
    expect(JSON.stringify(stored)).not.toContain('SECRET');
    expect(served).not.toContain('SECRET');
  });

  it.each([
    ['protobuf', 'application/x-protobuf', ProtobufTraceSerializer],
    ['JSON', 'application/json', JsonTraceSerializer],
  ] as const)(
    'keeps an attribute named __proto__ as an attribute, in %s',
    async (_name, type, serializer) => {
      const [span] = makeSpans().filter((each) => each.name === 'pg.query:SELECT');
      if (!span) throw new Error('no span made');
      const attributes = { 'db.system': 'postgresql' };
      Object.defineProperty(attributes, '__proto__', { value: 'sent', enumerable: true });
      Object.defineProperty(attributes, 'nested', {
        // A map whose own key is __proto__ with a map under it: set naively, the inner map would
        // become the prototype of the outer one, and its `polluted` would look like an attribute.
        value: Object.defineProperty({}, '__proto__', { value: { polluted: 'yes' }, enumerable: true }),
        enumerable: true,
      });
      const body = serializer.serializeRequest([
        { ...span, attributes, spanContext: () => span.spanContext() },
      ]);
      if (!body) throw new Error('the serializer produced nothing');
      expect((await post(body, type)).statusCode).toBe(200);

      const [stored] = explorer.store.get(span.spanContext().traceId) ?? [];
      expect(Object.getPrototypeOf(stored?.attributes)).toBe(Object.prototype);
      expect(Object.entries(stored?.attributes ?? {})).toEqual([
        ['db.system', 'postgresql'],
        ['__proto__', 'sent'],
        ['nested', { ['__proto__']: { polluted: 'yes' } }],
      ]);
      const nested = stored?.attributes.nested as Record<string, unknown>;
      expect(Object.getPrototypeOf(nested)).toBe(Object.prototype);
      expect(nested.polluted).toBeUndefined();
      expect(Object.hasOwn(nested, '__proto__')).toBe(true);
    },
  );

  it('refuses a content type that is not OTLP with 415', async () => {
    const response = await post('hello', 'text/plain');
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'OTLP_UNSUPPORTED_MEDIA_TYPE' });
  });
});
