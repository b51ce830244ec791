import type { AnalyticsRouter } from '@mesh/analytics/router';
import { type AnalyticsHarness, startAnalytics } from '@mesh/analytics/testing';
import { createMeshClient } from '@mesh/sdk';
import { startTelemetry, type Telemetry } from '@mesh/telemetry';
import { callError, type TestService } from '@mesh/testing';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let harness: AnalyticsHarness;
let userCache: TestService<UserCacheRouter>;
let analytics: TestService<AnalyticsRouter>;

beforeAll(async () => {
  telemetry = startTelemetry({ serviceName: 'e2e', spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  harness = await startAnalytics();
  userCache = harness.userCache;
  analytics = harness.replicas[0] as TestService<AnalyticsRouter>;
});

afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
  await telemetry?.shutdown();
});

function mesh(token: string) {
  return createMeshClient({
    token,
    retries: 0,
    urls: { analytics: analytics.url, userCache: userCache.url },
  });
}

describe('a call across two services', () => {
  it('is one trace from the caller through analytics into user-cache', async () => {
    const client = mesh(analytics.token);
    await client.userCache.createUsers.mutate({ users: [{ id: 7n, name: 'Grace' }] });
    await client.analytics.recordTrades.mutate({
      trades: [
        { userId: 7n, asset: 'BTC/USDT', side: 'buy', quantity: '0.5', price: '65000' },
        { userId: 7n, asset: 'ETH/USDT', side: 'sell', quantity: '2', price: '3100.25' },
      ],
    });
    exporter.reset();

    const tracer = trace.getTracer('e2e');
    const { summary, traceId } = await tracer.startActiveSpan('dashboard click', async (root) => {
      const result = await client.analytics.userSummary.query({ userId: 7n });
      root.end();
      return { summary: result, traceId: root.spanContext().traceId };
    });
    expect(summary).toEqual({ userId: 7n, name: 'Grace', trades: 2, volume: '2.5' });

    const spans = exporter.getFinishedSpans();
    const analyticsSpan = spans.find((span) => span.name === 'analytics.userSummary');
    const userCacheSpan = spans.find((span) => span.name === 'user-cache.getUsers');
    expect(analyticsSpan?.spanContext().traceId).toBe(traceId);
    expect(userCacheSpan?.spanContext().traceId).toBe(traceId);
    expect(userCacheSpan?.parentSpanContext?.spanId).toBe(analyticsSpan?.spanContext().spanId);
    expect(analyticsSpan?.attributes['db.query_count']).toBe(1);
    expect(userCacheSpan?.attributes['db.query_count']).toBe(1);
    expect(analyticsSpan?.events.map((event) => event.name)).toContain('loaded');
    await client.close();
  });

  it('refuses a caller with a bad token with UNAUTHORIZED, at either service', async () => {
    const client = mesh('not-the-token-0123456789');
    expect(await callError(client.analytics.userSummary.query({ userId: 7n }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await callError(client.userCache.getUsers.query({ ids: [7n] }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await client.close();
  });
});
