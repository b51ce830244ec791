import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { migrations as analyticsMigrations } from '@mesh/analytics/migrations';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { createMeshClient } from '@mesh/sdk';
import { startTelemetry, type Telemetry } from '@mesh/telemetry';
import { testEnv } from '@mesh/testing';
import { buildTraceExplorer, type StoredSpan, type TraceExplorer } from '@mesh/trace-explorer';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillerSpans } from './support/filler-spans.js';
import { openBrowser } from './support/open-browser.js';
import { type PgCountingProxy, startPgCountingProxy } from './support/pg-counting-proxy.js';
import { freePort, type SpawnedService, spawnService } from './support/spawn-service.js';

/** Screenshots land in a temp folder; `MESH_SCREENSHOT_DIR=docs` refreshes the ones in docs/. */
const screenshotDir = process.env.MESH_SCREENSHOT_DIR ?? tmpdir();

// The services run as their own processes (as `mesh up` runs them), each exporting OTLP to a
// real explorer, and reach Postgres through a proxy that counts the statements it forwards.
const token = randomBytes(24).toString('hex');
let explorer: TraceExplorer;
let explorerUrl: string;
let database: TestDatabase;
let proxy: PgCountingProxy;
let userCache: SpawnedService;
let analytics: SpawnedService;
let telemetry: Telemetry;

beforeAll(async () => {
  explorer = await buildTraceExplorer();
  explorerUrl = await explorer.listen(0);
  database = await createTestDatabase({ migrations: [userCacheMigrations, analyticsMigrations] });
  proxy = await startPgCountingProxy(database.url);
  const shared = {
    DATABASE_URL: proxy.url,
    REDIS_URL: testEnv.REDIS_URL,
    CACHE_KEY_PREFIX: `${database.name}:`,
    MESH_SERVICE_TOKEN: token,
    OTEL_EXPORTER_OTLP_ENDPOINT: explorerUrl,
    // Export within 50 ms of a span ending instead of the SDK's 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '50',
    LOG_LEVEL: 'warn',
  };
  const [userCachePort, analyticsPort] = [await freePort(), await freePort()];
  userCache = await spawnService({
    entry: 'services/user-cache/src/main.ts',
    port: userCachePort,
    // gRPC ports too: the catalogue's defaults may be taken by a mesh running on this machine.
    env: {
      ...shared,
      USER_CACHE_PORT: String(userCachePort),
      USER_CACHE_GRPC_PORT: String(await freePort()),
    },
  });
  analytics = await spawnService({
    entry: 'services/analytics/src/main.ts',
    port: analyticsPort,
    env: {
      ...shared,
      ANALYTICS_PORT: String(analyticsPort),
      ANALYTICS_GRPC_PORT: String(await freePort()),
      USER_CACHE_URL: userCache.url,
    },
  });
  // The caller's root span goes to the explorer too, as a browser or bot's would.
  telemetry = startTelemetry({
    serviceName: 'e2e-caller',
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${explorerUrl}/v1/traces` }) }),
    ],
  });
}, 120_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await analytics?.[Symbol.asyncDispose]();
  await userCache?.[Symbol.asyncDispose]();
  await proxy?.[Symbol.asyncDispose]();
  await database?.drop();
  await explorer?.close();
});

async function traceFromExplorer(traceId: string, done: (spans: StoredSpan[]) => boolean) {
  const deadline = Date.now() + 20_000;
  let spans: StoredSpan[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${explorerUrl}/api/traces/${traceId}`);
    if (response.ok) {
      spans = ((await response.json()) as { spans: StoredSpan[] }).spans;
      if (done(spans)) return spans;
    }
    await delay(100);
  }
  return spans;
}

const procedureSpans = (spans: StoredSpan[]) =>
  spans.filter((span) => span.attributes['rpc.system'] === 'trpc');

function meshClient() {
  return createMeshClient({
    token,
    retries: 0,
    urls: { analytics: analytics.url, userCache: userCache.url },
  });
}

/** A user's summary under a root span of the caller's, as a dashboard click would make it. */
async function summaryCall(client: ReturnType<typeof meshClient>, userId: bigint) {
  return trace.getTracer('e2e').startActiveSpan('dashboard click', async (root) => {
    const result = await client.analytics.userSummary.query({ userId });
    root.end();
    return { summary: result, traceId: root.spanContext().traceId };
  });
}

describe('a two-service call, read back from the trace explorer', () => {
  it('is one trace with both services, checkpoints in order and the real query count', async () => {
    const client = meshClient();
    await client.userCache.createUsers.mutate({ users: [{ id: 7n, name: 'Grace' }] });
    // A first summary warms both services' pools, so the measured call opens no connection.
    await client.analytics.userSummary.query({ userId: 8n });

    const before = proxy.statements();
    const { summary, traceId } = await summaryCall(client, 7n);
    const received = proxy.statements() - before;
    expect(summary).toMatchObject({ userId: 7n, name: 'Grace' });

    const spans = await traceFromExplorer(
      traceId,
      (found) => procedureSpans(found).length >= 2 && found.some((span) => span.name === 'dashboard click'),
    );
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traceId]));
    expect(new Set(spans.map((span) => span.service))).toEqual(
      new Set(['e2e-caller', 'analytics', 'user-cache']),
    );

    const summarySpan = spans.find((span) => span.name === 'analytics.userSummary');
    const getUsersSpan = spans.find((span) => span.name === 'user-cache.getUsers');
    expect(summarySpan?.service).toBe('analytics');
    expect(getUsersSpan?.service).toBe('user-cache');
    // user-cache's span hangs under analytics' procedure span (through its SDK call's client span).
    const ancestors = new Set<string>();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (let at = getUsersSpan?.parentSpanId; at; at = byId.get(at)?.parentSpanId) ancestors.add(at);
    expect(ancestors.has(summarySpan?.spanId ?? '')).toBe(true);

    // pg and ioredis are patched under the ESM loader hook, which wraps only the modules patched.
    const systemsOf = (service: string) =>
      spans
        .filter((span) => span.service === service)
        .map((span) => span.attributes['db.system.name'] ?? span.attributes['db.system']);
    expect(systemsOf('user-cache')).toEqual(expect.arrayContaining(['postgresql', 'redis']));
    expect(systemsOf('analytics')).toContain('postgresql');

    // Checkpoints across the trace, in the order they happened: user-cache loads, then analytics.
    const checkpoints = spans
      .flatMap((span) =>
        span.events
          // Checkpoints carry elapsed_ms; other events (the cache's cache.miss) do not.
          .filter((event) => event.attributes.elapsed_ms !== undefined)
          .map((event) => ({ name: event.name, at: span.startMs + event.offsetMs })),
      )
      .sort((a, b) => a.at - b.at)
      .map((event) => event.name);
    expect(checkpoints).toEqual(['users.loaded', 'loaded']);
    const loaded = summarySpan?.events.find((event) => event.name === 'loaded');
    expect(loaded?.attributes.elapsed_ms).toBeLessThanOrEqual(summarySpan?.durationMs ?? 0);

    const counted = procedureSpans(spans).reduce(
      (sum, span) => sum + Number(span.attributes['db.query_count']),
      0,
    );
    expect(received).toBeGreaterThanOrEqual(2);
    expect(counted).toBe(received);

    const listed = await fetch(`${explorerUrl}/api/traces?service=user-cache&procedure=userSummary`);
    const { traces } = (await listed.json()) as { traces: Array<{ traceId: string; queryCount: number }> };
    expect(traces.find((found) => found.traceId === traceId)?.queryCount).toBe(received);
    await client.close();
  });

  it('has the metrics beside the trace on /metrics: latency, queries, cache lookups, event-loop lag, memory', async () => {
    const client = meshClient();
    await client.userCache.getUsers.query({ ids: [404n] });
    await client.close();
    const text = await (await fetch(`${userCache.url}/metrics`)).text();
    // Label order is prom-client's business: match the metric name and each label.
    const has = (name: string, ...labels: string[]) =>
      text.split('\n').some((line) => line.startsWith(name) && labels.every((label) => line.includes(label)));
    expect(has('mesh_procedure_duration_seconds_bucket', 'procedure="getUsers"', 'le="0.005"')).toBe(true);
    expect(has('mesh_procedure_db_queries_sum', 'procedure="getUsers"')).toBe(true);
    expect(has('mesh_cache_lookups_total', 'namespace="user"', 'result="miss"')).toBe(true);
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(has(name)).toBe(true);
    }
  });

  it('shows that trace in the page: found in the list, opened as a waterfall with its checkpoints', async () => {
    const client = meshClient();
    await client.userCache.createUsers.mutate({ users: [{ id: 9n, name: 'Ada' }] });
    const { traceId } = await summaryCall(client, 9n);
    await client.close();
    await traceFromExplorer(traceId, (found) => procedureSpans(found).length >= 2);
    // 10,000 other spans stored, older than ours, so the page is shown at the size it must handle.
    explorer.store.add(fillerSpans({ traces: 500, spansPerTrace: 20, before: Date.now() - 60_000 }));

    await using browser = await openBrowser();
    const page = await browser.browser.newPage({ viewport: { width: 1440, height: 820 } });
    const listShown = performance.now();
    await page.goto(`${explorerUrl}/`);
    await page.fill('input[name=procedure]', 'userSummary');
    await page.click('button[type=submit]');
    const row = page.locator(`tr[data-trace="${traceId}"]`);
    await row.waitFor();
    const listMs = performance.now() - listShown;
    expect(await row.textContent()).toContain('analytics.userSummary');
    await page.screenshot({ path: join(screenshotDir, 'trace-explorer-list.png') });

    const opened = performance.now();
    await row.click();
    await page.locator('.row.procedure').first().waitFor();
    const traceMs = performance.now() - opened;
    const names = await page.locator('#waterfall .row .label').allTextContents();
    expect(names).toEqual(
      expect.arrayContaining(['dashboard click', 'analytics.userSummary', 'user-cache.getUsers']),
    );
    const checkpoints = await page
      .locator('#waterfall .checkpoint')
      .evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-label')?.split(' ')[0]));
    expect(checkpoints).toEqual(expect.arrayContaining(['users.loaded', 'loaded']));
    await page.locator('#waterfall .row', { hasText: 'user-cache.getUsers' }).click();
    expect(await page.locator('#details').textContent()).toContain('db.query_count');
    await page.screenshot({ path: join(screenshotDir, 'trace-explorer.png') });
    // Figures for the report, not thresholds: a shared 2-core machine makes timings noisy.
    console.info(
      `explorer with ${explorer.store.stats().spans} spans: list ${listMs.toFixed(0)} ms, trace ${traceMs.toFixed(0)} ms`,
    );
  });
});
