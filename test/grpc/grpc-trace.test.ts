import { buildAnalyticsService } from '@mesh/analytics';
import { readEnv as readAnalyticsEnv } from '@mesh/analytics/env';
import { migrations as analyticsMigrations } from '@mesh/analytics/migrations';
import type { AnalyticsRouter } from '@mesh/analytics/router';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { grpcUrlOf } from '@mesh/grpc';
import { startTelemetry, type Telemetry } from '@mesh/telemetry';
import { startTestService, type TestService } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv as readUserCacheEnv } from '@mesh/user-cache/env';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcJsClient } from './support/grpc-js-client.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let database: TestDatabase;
let userCache: TestService<UserCacheRouter>;
let analytics: TestService<AnalyticsRouter>;

beforeAll(async () => {
  telemetry = startTelemetry({
    serviceName: 'grpc-trace',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  database = await createTestDatabase({ migrations: [userCacheMigrations, analyticsMigrations] });
  const shared = { migrations: [], database };
  userCache = await startTestService({ ...shared, readEnv: readUserCacheEnv, build: buildUserCacheService });
  analytics = await startTestService({
    ...shared,
    readEnv: readAnalyticsEnv,
    build: buildAnalyticsService,
    env: { USER_CACHE_URL: userCache.url },
  });
});

afterAll(async () => {
  await analytics?.[Symbol.asyncDispose]();
  await userCache?.[Symbol.asyncDispose]();
  await database?.drop();
  await telemetry?.shutdown();
});

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
  });
});
