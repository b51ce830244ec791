import type { AnalyticsRouter } from '@mesh/analytics/router';
import { type AnalyticsHarness, startAnalytics } from '@mesh/analytics/testing';
import { grpcUrlOf } from '@mesh/grpc';
import { startTelemetry, type Telemetry } from '@mesh/telemetry';
import type { TestService } from '@mesh/testing';
import { buildTraceExplorer, type TraceExplorer } from '@mesh/trace-explorer';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcJsClient } from './support/grpc-js-client.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let harness: AnalyticsHarness;
let userCache: TestService<UserCacheRouter>;
let analytics: TestService<AnalyticsRouter>;
let explorer: TraceExplorer;

beforeAll(async () => {
  // The spans go to memory and, over OTLP/HTTP, to a real trace explorer.
  explorer = await buildTraceExplorer();
  const explorerUrl = await explorer.listen(0);
  telemetry = startTelemetry({
    serviceName: 'grpc-trace',
    spanProcessors: [
      new SimpleSpanProcessor({ exporter }),
      new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${explorerUrl}/v1/traces` }) }),
    ],
  });
  harness = await startAnalytics();
  userCache = harness.userCache;
  analytics = harness.replicas[0] as TestService<AnalyticsRouter>;
});

afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
  await telemetry?.shutdown();
  await explorer?.close();
});

/** An explorer API answer, asked again until `ready` says the exported spans have arrived. */
// biome-ignore lint/suspicious/noExplicitAny: an API answer read by the assertions
async function explorerJson(path: string, ready: (body: any) => boolean = () => true) {
  for (let attempt = 0; ; attempt++) {
    const body = (await explorer.app.inject(path)).json();
    if (ready(body) || attempt === 50) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('one trace across the gRPC face', () => {
  it("joins the caller's traceparent, and the procedure's tRPC call to user-cache stays in it", async () => {
    await userCache.service.createCaller().createUsers({ users: [{ id: 31n, name: 'Erin' }] });
    await analytics.service.createCaller().recordTrades({
      trades: [{ userId: 31n, asset: 'TON', side: 'buy', quantity: '3', price: '2' }],
    });
    exporter.reset();

    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const callerSpanId = '1122334455667788';
    const client = grpcJsClient(
      grpcUrlOf(analytics.service),
      'mesh.analytics.v1.AnalyticsService',
      analytics.token,
    );
    const summary = await client.unary(
      'UserSummary',
      { userId: '31' },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    );
    client.close();
    expect(summary).toMatchObject({ userId: '31', name: 'Erin', trades: 1, volume: '3' });

    const spans = exporter.getFinishedSpans();
    const grpcSpan = spans.find((span) => span.name === 'analytics.userSummary');
    const trpcSpan = spans.find((span) => span.name === 'user-cache.getUsers');
    expect(grpcSpan?.spanContext().traceId).toBe(traceId);
    expect(grpcSpan?.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(grpcSpan?.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': 'mesh.analytics.v1.AnalyticsService',
      'rpc.method': 'UserSummary',
      'mesh.procedure': 'userSummary',
      'mesh.result_code': 'OK',
      'db.query_count': 1,
    });
    expect(trpcSpan?.spanContext().traceId).toBe(traceId);
    expect(trpcSpan?.attributes['rpc.system']).toBe('trpc');

    // The explorer names the trace by the gRPC call's procedure and lists that procedure.
    const exported = spans.filter((span) => span.spanContext().traceId === traceId).length;
    const listed = await explorerJson(
      `/api/traces?traceId=${traceId}`,
      (body: { traces: Array<{ spanCount: number }> }) => body.traces[0]?.spanCount === exported,
    );
    expect(listed.traces).toMatchObject([{ traceId, procedure: 'analytics.userSummary' }]);
    const byProcedure = await explorerJson('/api/traces?procedure=analytics.userSummary');
    expect(byProcedure.traces.map((found: { traceId: string }) => found.traceId)).toContain(traceId);
    const { procedures } = await explorerJson('/api/procedures');
    expect(procedures.map((found: { procedure: string }) => found.procedure)).toEqual(
      expect.arrayContaining(['analytics.userSummary', 'user-cache.getUsers']),
    );
    expect(await explorerJson('/api/procedures/analytics.userSummary')).toMatchObject({
      calls: 1,
      errors: 0,
    });
  });
});
