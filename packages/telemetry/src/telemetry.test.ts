import { Writable } from 'node:stream';
import { context, createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkpoint } from './checkpoint.js';
import { LeanSpan } from './lean-span.js';
import { callTracer } from './lean-tracer.js';
import { createLogger } from './logger.js';
import { currentRequestStats, recordStat, withRequestStats, withSpanAndStats } from './request-stats.js';
import {
  isProbe,
  logsUrl,
  resourceDetectors,
  startTelemetry,
  type Telemetry,
  tracesUrl,
} from './start-telemetry.js';

const exporter = new InMemorySpanExporter();
const logExporter = new InMemoryLogRecordExporter();
let telemetry: Telemetry;

beforeAll(() => {
  telemetry = startTelemetry({
    serviceName: 'telemetry-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
  });
});
afterAll(() => telemetry.shutdown());

describe('the call tracer', () => {
  it("gives lean spans that reach the same processors as the SDK's, with the same resource", async () => {
    trace.getTracer('test').startSpan('by the SDK').end();
    const leanSpan = callTracer().startSpan('by the call tracer');
    expect(leanSpan).toBeInstanceOf(LeanSpan);
    leanSpan.end();
    // The resource's detected attributes settle first (the processor waits for them).
    const [sdkSpan, callSpan] = await vi.waitFor(() => {
      const finished = exporter.getFinishedSpans();
      const both = [
        finished.find((span) => span.name === 'by the SDK'),
        finished.find((span) => span.name === 'by the call tracer'),
      ];
      if (!both[0] || !both[1]) throw new Error('not exported yet');
      return both as [ReadableSpan, ReadableSpan];
    });
    expect(callSpan.resource).toBe(sdkSpan.resource);
    expect(callSpan.resource.attributes['service.name']).toBe('telemetry-test');
    expect(callSpan.resource.attributes['host.name']).toEqual(expect.any(String));
    expect(callSpan.instrumentationScope.name).toBe('@mesh/kit');
  });
});

describe('resourceDetectors', () => {
  it('reads OTEL_NODE_RESOURCE_DETECTORS as NodeSDK does', () => {
    expect(resourceDetectors(undefined)).toHaveLength(5);
    expect(resourceDetectors('all')).toHaveLength(5);
    expect(resourceDetectors('none')).toEqual([]);
    expect(resourceDetectors('env, host,unknown')).toHaveLength(2);
  });
});

describe('checkpoint', () => {
  it('adds an event with the milliseconds elapsed since the span began', async () => {
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('work', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const elapsed = checkpoint('fetched', { rows: 3 });
      expect(elapsed).toBeGreaterThanOrEqual(25);
      span.end();
    });
    await new Promise((resolve) => setImmediate(resolve)); // the processor exports on a later tick
    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name === 'work');
    const event = span?.events.find((candidate) => candidate.name === 'fetched');
    expect(event?.attributes?.rows).toBe(3);
    expect(event?.attributes?.elapsed_ms).toBeGreaterThanOrEqual(25);
  });

  it('stamps elapsed_ms by the span clock, so it equals the event time minus the span start', async () => {
    await trace.getTracer('test').startActiveSpan('clocked', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      checkpoint('late');
      span.end();
    });
    await new Promise((resolve) => setImmediate(resolve));
    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name === 'clocked');
    const event = span?.events.find((candidate) => candidate.name === 'late');
    if (!span || !event) throw new Error('no span or event exported');
    const sinceStart = hrTimeToMilliseconds(event.time) - hrTimeToMilliseconds(span.startTime);
    expect(event.attributes?.elapsed_ms).toBeCloseTo(sinceStart, 3);
    expect(event.attributes?.elapsed_ms).toBeLessThanOrEqual(hrTimeToMilliseconds(span.duration));
  });

  it('does nothing outside a span', () => {
    expect(checkpoint('nowhere')).toBeUndefined();
  });
});

describe('createLogger', () => {
  it('stamps lines with the active trace and span ids and redacts tokens', () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const log = createLogger({ name: 'test', destination });
    const ids = trace.getTracer('test').startActiveSpan('logged', (span) => {
      log.info({ token: 'secret-token-value' }, 'inside');
      span.end();
      return span.spanContext();
    });
    log.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(JSON.stringify(lines[0])).not.toContain('secret-token-value');
    expect(lines[1]?.trace_id).toBeUndefined();
  });
});

describe('the logger as OTel log records', () => {
  it('hands each line, redacted, to the logs SDK under the span it was written in', () => {
    const log = createLogger({
      name: 'otel-logs-test',
      destination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const ids = trace.getTracer('test').startActiveSpan('logged', (span) => {
      log.warn({ token: 'secret-token-value', userId: 7, nested: { a: 1 } }, 'slow lookup');
      span.end();
      return span.spanContext();
    });
    log.info('no span');
    const records = logExporter
      .getFinishedLogRecords()
      .filter((record) => record.instrumentationScope.name === 'otel-logs-test');
    expect(records.map((record) => record.body)).toEqual(['slow lookup', 'no span']);
    const [inside, outside] = records;
    expect(inside?.spanContext).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(inside).toMatchObject({ severityText: 'WARN', severityNumber: 13 });
    expect(inside?.attributes).toMatchObject({ service: 'otel-logs-test', userId: 7, nested: '{"a":1}' });
    expect(JSON.stringify(inside?.attributes)).not.toContain('secret-token-value');
    expect(outside?.spanContext).toBeUndefined();
  });
});

describe('withRequestStats', () => {
  it('counts into the scope and every enclosing scope, and nothing outside', async () => {
    recordStat('dbQueries');
    const outer = await withRequestStats(async () => {
      recordStat('dbQueries');
      const inner = await withRequestStats(async () => {
        recordStat('dbQueries', 2);
        recordStat('cacheHits');
      });
      return inner.stats;
    });
    expect(outer.result).toMatchObject({ dbQueries: 2, cacheHits: 1 });
    expect(outer.stats).toMatchObject({ dbQueries: 3, cacheHits: 1 });
  });

  it('counts work of a lazy thenable that only starts when awaited', async () => {
    const lazy = {
      // biome-ignore lint/suspicious/noThenProperty: a lazy thenable, like Prisma's queries, is what this test is about
      then: (resolve: (value: number) => void) => {
        recordStat('dbQueries');
        resolve(1);
      },
    };
    const { stats } = await withRequestStats(() => lazy as unknown as Promise<number>);
    expect(stats.dbQueries).toBe(1);
  });
});

describe('withSpanAndStats, with telemetry started', () => {
  const BAGGAGE = createContextKey('test.baggage');
  const ADDED = createContextKey('test.added');

  it('runs with the span active over the parent, its values kept, in a scope of its own', async () => {
    const span = callTracer().startSpan('call');
    const parent = ROOT_CONTEXT.setValue(BAGGAGE, 'from the caller');
    const outer = await withRequestStats(async () => {
      recordStat('dbQueries');
      return withSpanAndStats(parent, span, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        recordStat('dbQueries', 2);
        const active = context.active();
        const added = active.setValue(ADDED, 1).deleteValue(BAGGAGE);
        return {
          span: trace.getActiveSpan(),
          baggage: active.getValue(BAGGAGE),
          stats: { ...currentRequestStats() },
          added: [added.getValue(ADDED), added.getValue(BAGGAGE), trace.getSpan(added)],
        };
      });
    });
    span.end();
    const inner = outer.result;
    expect(inner.result.span).toBe(span);
    expect(inner.result.baggage).toBe('from the caller');
    expect(inner.result.added).toEqual([1, undefined, span]);
    expect(inner.stats.dbQueries).toBe(2);
    expect(inner.result.stats.dbQueries).toBe(2);
    expect(outer.stats.dbQueries).toBe(3);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(currentRequestStats()).toBeUndefined();
  });

  it('keeps concurrent calls apart', async () => {
    const calls = [1, 2, 3].map((n) =>
      withSpanAndStats(ROOT_CONTEXT, callTracer().startSpan(`call ${n}`), async () => {
        for (let i = 0; i < n; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          recordStat('cacheHits');
        }
      }),
    );
    expect((await Promise.all(calls)).map(({ stats }) => stats.cacheHits)).toEqual([1, 2, 3]);
  });
});

describe('tracesUrl', () => {
  it('appends v1/traces to the endpoint, keeping a path prefix', () => {
    expect(tracesUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/v1/traces');
    expect(tracesUrl('https://gateway.example/otlp/')).toBe('https://gateway.example/otlp/v1/traces');
  });
});

describe('logsUrl', () => {
  it('appends v1/logs to the endpoint, keeping a path prefix', () => {
    expect(logsUrl('https://gateway.example/otlp/')).toBe('https://gateway.example/otlp/v1/logs');
  });
});

describe('isProbe', () => {
  it('leaves health, readiness and metrics requests untraced, and traces the rest', () => {
    expect(['/healthz', '/readyz?verbose=1', '/metrics'].map(isProbe)).toEqual([true, true, true]);
    expect(['/trpc/getUsers', '/', undefined].map(isProbe)).toEqual([false, false, false]);
  });
});
