import { gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTraceExplorer, type TraceExplorer } from './build-trace-explorer.js';
import { makeSpans } from './testing-spans.js';

let explorer: TraceExplorer;
beforeEach(async () => {
  explorer = await buildTraceExplorer();
});
afterEach(() => explorer.close());

async function send(spans: ReturnType<typeof makeSpans>, gzip = false) {
  const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array());
  const response = await explorer.app.inject({
    method: 'POST',
    url: '/v1/traces',
    headers: { 'content-type': 'application/x-protobuf', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    payload: gzip ? gzipSync(body) : body,
  });
  expect(response.statusCode).toBe(200);
  return spans[0]?.spanContext().traceId as string;
}

describe('the trace API', () => {
  it('lists traces with their summary and filters them by service and errors', async () => {
    const ok = await send(makeSpans({ service: 'analytics' }));
    const failed = await send(makeSpans({ service: 'user-cache', error: true }), true);

    const all = (await explorer.app.inject('/api/traces')).json();
    expect(all.traces.map((trace: { traceId: string }) => trace.traceId).sort()).toEqual([ok, failed].sort());
    expect(all.traces.find((trace: { traceId: string }) => trace.traceId === ok)).toMatchObject({
      procedure: 'analytics.userSummary',
      spanCount: 2,
      queryCount: 2,
      cacheHits: 1,
      errorCount: 0,
    });
    expect(all.stored).toMatchObject({ traces: 2, spans: 4, services: ['analytics', 'user-cache'] });

    const errors = (await explorer.app.inject('/api/traces?errors=true')).json();
    expect(errors.traces.map((trace: { traceId: string }) => trace.traceId)).toEqual([failed]);
    const byService = (await explorer.app.inject('/api/traces?service=analytics')).json();
    expect(byService.traces.map((trace: { traceId: string }) => trace.traceId)).toEqual([ok]);
  });

  it('answers one trace with its spans by start time, and 404 TRACE_NOT_FOUND for an unknown id', async () => {
    const traceId = await send(makeSpans());
    const found = (await explorer.app.inject(`/api/traces/${traceId.toUpperCase()}`)).json();
    const starts = found.spans.map((span: { startMs: number }) => span.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(found.spans.map((span: { name: string }) => span.name).sort()).toEqual([
      'analytics.userSummary',
      'pg.query:SELECT',
    ]);
    const missing = await explorer.app.inject(`/api/traces/${'0'.repeat(31)}1`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'TRACE_NOT_FOUND' });
  });

  it('refuses a bad filter with 400 BAD_QUERY', async () => {
    const response = await explorer.app.inject('/api/traces?minMs=soon');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'BAD_QUERY' });
  });

  it('serves the page, its script and its styles', async () => {
    for (const [url, type] of [
      ['/', 'text/html'],
      ['/explorer.js', 'text/javascript'],
      ['/explorer.css', 'text/css'],
    ] as const) {
      const response = await explorer.app.inject(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain(type);
    }
  });

  it('accepts JSON in the form the OTel HTTP exporter sends it, with a charset', async () => {
    const spans = makeSpans();
    const response = await explorer.app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: Buffer.from(JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array()),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });
});
