import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createServiceClient } from '@mesh/client';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { migrations as ingestionMigrations } from '@mesh/ingestion/migrations';
import type { IngestionRouter } from '@mesh/ingestion/router';
import { startTelemetry, type Telemetry } from '@mesh/telemetry';
import { testEnv } from '@mesh/testing';
import { buildTraceExplorer, type Finding, type TraceExplorer } from '@mesh/trace-explorer';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NaiveRouter } from './support/naive-lookups-service.js';
import { openBrowser } from './support/open-browser.js';
import { freePort, type SpawnedService, spawnService } from './support/spawn-service.js';

// Real services, each its own process exporting to a real explorer: user-cache and ingestion as
// they ship, and a test-only service written the slow ways (support/naive-lookups-service.ts).
const token = randomBytes(24).toString('hex');
/** Screenshots land in a temp folder; `MESH_SCREENSHOT_DIR=docs` refreshes the ones in docs/. */
const screenshotDir = process.env.MESH_SCREENSHOT_DIR ?? tmpdir();
let explorer: TraceExplorer;
let explorerUrl: string;
let database: TestDatabase;
let userCache: SpawnedService;
let ingestion: SpawnedService;
let naive: SpawnedService;
let telemetry: Telemetry;
const ids = Array.from({ length: 30 }, (_, i) => BigInt(9_000 + i));

beforeAll(async () => {
  explorer = await buildTraceExplorer();
  explorerUrl = await explorer.listen(0);
  database = await createTestDatabase({ migrations: [userCacheMigrations, ingestionMigrations] });
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: testEnv.REDIS_URL,
    CACHE_KEY_PREFIX: `${database.name}:`,
    MESH_SERVICE_TOKEN: token,
    OTEL_EXPORTER_OTLP_ENDPOINT: explorerUrl,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    LOG_LEVEL: 'info',
  };
  const [userCachePort, ingestionPort, naivePort, grpcA, grpcB] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  userCache = await spawnService({
    entry: 'services/user-cache/src/main.ts',
    port: userCachePort,
    env: { ...shared, USER_CACHE_PORT: String(userCachePort), USER_CACHE_GRPC_PORT: String(grpcA) },
  });
  ingestion = await spawnService({
    entry: 'services/ingestion/src/main.ts',
    port: ingestionPort,
    env: {
      ...shared,
      INGESTION_PORT: String(ingestionPort),
      INGESTION_GRPC_PORT: String(grpcB),
      INGESTION_SOURCE: 'simulated',
      INGESTION_SIMULATED_MESSAGES: '40',
      // Several chunks per channel, so a sync runs the chunked path: BEGIN, INSERTs, COMMIT each.
      INGESTION_CHUNK_SIZE: '16',
    },
  });
  naive = await spawnService({
    entry: 'test/e2e/support/naive-lookups-service.ts',
    port: naivePort,
    env: { ...shared, NAIVE_PORT: String(naivePort), USER_CACHE_URL: userCache.url },
  });
  telemetry = startTelemetry({
    serviceName: 'e2e-caller',
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${explorerUrl}/v1/traces` }) }),
    ],
  });
  const users = createServiceClient<UserCacheRouter>({ url: userCache.url, token, retries: 0 });
  await users.client.createUsers.mutate({ users: ids.map((id) => ({ id, name: `user ${id}` })) });
  await users.close();
}, 120_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await naive?.[Symbol.asyncDispose]();
  await ingestion?.[Symbol.asyncDispose]();
  await userCache?.[Symbol.asyncDispose]();
  await database?.drop();
  await explorer?.close();
});

/** Runs `work` under a root span of the caller's and returns the trace id. */
function traced(name: string, work: () => Promise<unknown>): Promise<string> {
  return trace.getTracer('e2e').startActiveSpan(name, async (root) => {
    await work();
    root.end();
    return root.spanContext().traceId;
  });
}

/** The trace's findings once its spans stopped arriving (no new span for 300 ms). */
async function findingsOf(traceId: string, atLeastSpans: number): Promise<Finding[]> {
  const deadline = Date.now() + 20_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const found = explorer.store.trace(traceId);
    const count = found?.spans.length ?? 0;
    if (found && count >= atLeastSpans && count === seen) return found.findings;
    seen = count;
    await delay(300);
  }
  throw new Error(`trace ${traceId} did not settle: ${seen} spans`);
}

/** The trace's spans once they stopped arriving. */
async function settledSpans(traceId: string, atLeastSpans: number) {
  await findingsOf(traceId, atLeastSpans);
  return explorer.store.trace(traceId)?.spans ?? [];
}

const kinds = (findings: Finding[]) => findings.map((finding) => finding.kind).sort();
const naiveClient = () =>
  createServiceClient<NaiveRouter>({ url: naive.url, token, retries: 0, transport: 'fetch' });

describe('findings on traces of real services', () => {
  it('flags a per-id lookup loop as n+1-query, with the statement and its count', async () => {
    const client = naiveClient();
    const traceId = await traced('names one query each', () =>
      client.client.namesOneQueryEach.query({ ids }),
    );
    await client.close();
    const findings = await findingsOf(traceId, ids.length + 2);
    const query = findings.find((finding) => finding.kind === 'n+1-query');
    expect(query).toMatchObject({ count: ids.length, procedure: 'naive-lookups.namesOneQueryEach' });
    expect(query?.label).toBe(`SELECT … FROM users.users WHERE id = $1 × ${ids.length}`);
    expect(query?.spanIds).toHaveLength(ids.length);
  });

  it('flags one getUser call per id as n+1-call and a cache-miss storm; one getUsers call gives none', async () => {
    const client = naiveClient();
    const looped = await traced('names one call each', () => client.client.namesOneCallEach.query({ ids }));
    const batched = await traced('names batched', () =>
      client.client.namesBatched.query({ ids: ids.map((id) => id + 100n) }),
    );
    await client.close();
    const loopFindings = await findingsOf(looped, ids.length * 2);
    expect(loopFindings.find((finding) => finding.kind === 'n+1-call')).toMatchObject({
      count: ids.length,
      procedure: 'user-cache.getUser',
      label: `user-cache.getUser × ${ids.length}`,
    });
    expect(loopFindings.find((finding) => finding.kind === 'cache-miss-storm')).toMatchObject({
      namespace: 'user',
      count: ids.length,
    });
    expect(await findingsOf(batched, 3)).toEqual([]);
  });

  it('flags a sync the per-message way; ingestion’s own sync of the same messages has none', async () => {
    const sync = createServiceClient<IngestionRouter>({
      url: ingestion.url,
      token,
      retries: 0,
      transport: 'fetch',
    });
    await sync.client.registerChannels.mutate({
      channels: [
        { id: 4242n, username: 'findings_test', title: 'Findings' },
        { id: 4243n, username: 'findings_naive', title: 'Findings, one by one' },
      ],
    });
    const own = await traced('sync', () => sync.client.syncMessages.mutate({ channels: [4242n], limit: 40 }));
    await sync.close();
    const client = naiveClient();
    const texts = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    const perMessage = await traced('sync one by one', () =>
      client.client.storeOneByOne.mutate({ channelId: 4243n, texts }),
    );
    await client.close();
    const flagged = await findingsOf(perMessage, 40);
    expect(flagged.find((finding) => finding.kind === 'n+1-query')).toMatchObject({ count: 40 });
    expect(flagged.find((finding) => finding.kind === 'n+1-query')?.label).toMatch(
      /^INSERT INTO ingestion\.messages \(…\)/,
    );
    expect(await findingsOf(own, 4)).toEqual([]);
  });

  it('does not flag ingestion’s own sync of many channels: one batched INSERT per chunk is not N+1', async () => {
    const sync = createServiceClient<IngestionRouter>({
      url: ingestion.url,
      token,
      retries: 0,
      transport: 'fetch',
    });
    const channels = Array.from({ length: 8 }, (_, i) => ({
      id: BigInt(4300 + i),
      username: `findings_many_${i}`,
      title: `Findings ${i}`,
    }));
    await sync.client.registerChannels.mutate({ channels });
    const own = await traced('sync many', () =>
      sync.client.syncMessages.mutate({ channels: channels.map((c) => c.id), limit: 40, concurrency: 8 }),
    );
    await sync.close();
    const spans = await settledSpans(own, channels.length * 5);
    const inserts = spans.filter((span) =>
      /INSERT INTO messages/.test(
        String(span.attributes['db.query.text'] ?? span.attributes['db.statement']),
      ),
    );
    // 40 messages in chunks of 16: three INSERTs a channel, each of many rows.
    expect(inserts).toHaveLength(channels.length * 3);
    expect(explorer.store.trace(own)?.findings).toEqual([]);
  });

  it('flags a webhook that works before it answers, and not one that answers first', async () => {
    // Telegram's request carries no trace; this one does, so the caller knows the trace id.
    const post = (path: string) =>
      traced(path, () => {
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        return fetch(`${naive.url}${path}`, { method: 'POST', headers });
      });
    const late = await post('/telegram/webhook-late');
    const first = await post('/telegram/webhook-first');
    const lateFindings = await findingsOf(late, 6);
    expect(kinds(lateFindings)).toEqual(['slow-before-answer']);
    expect(lateFindings[0]?.count).toBeGreaterThanOrEqual(2);
    expect(await findingsOf(first, 6)).toEqual([]);
    // The bot token in the answer's URL never reaches the explorer's store.
    expect(JSON.stringify(explorer.store.trace(late)?.spans)).not.toContain('test-token');
  });

  it('lists flagged traces under their finding and serves the service map with the calls', async () => {
    const listed = (await (await fetch(`${explorerUrl}/api/traces?finding=n%2B1-call`)).json()) as {
      traces: Array<{ findingKinds: string[] }>;
    };
    expect(listed.traces.length).toBeGreaterThan(0);
    expect(listed.traces.every((t) => t.findingKinds.includes('n+1-call'))).toBe(true);
    const map = (await (await fetch(`${explorerUrl}/api/service-map`)).json()) as {
      edges: Array<{ from: string; to: string; calls: number }>;
    };
    expect(map.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'naive-lookups', to: 'user-cache' }),
        expect.objectContaining({ from: 'e2e-caller', to: 'ingestion' }),
      ]),
    );
  });

  it('receives the services’ logs over OTLP, each under the span it was written in', async () => {
    const client = naiveClient();
    const traceId = await traced('logged lookups', () =>
      client.client.namesOneQueryEach.query({ ids: ids.slice(0, 2) }),
    );
    await client.close();
    await findingsOf(traceId, 4);
    const spanId = explorer.store
      .trace(traceId)
      ?.spans.find((span) => span.name === 'naive-lookups.namesOneQueryEach')?.spanId;
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    const deadline = Date.now() + 10_000;
    let logs: Array<{ message: string; spanId?: string; service: string; level: string }> = [];
    while (logs.length === 0 && Date.now() < deadline) {
      await delay(200);
      const response = await fetch(`${explorerUrl}/api/logs?traceId=${traceId}`);
      logs = ((await response.json()) as { logs: typeof logs }).logs;
    }
    expect(logs).toEqual([
      expect.objectContaining({
        message: 'looking names up one query at a time',
        service: 'naive-lookups',
        level: 'info',
        spanId,
      }),
    ]);
  });

  it('shows every view in the page: badges, the folded repeat, span logs, logs, map, procedure, compare, live', async () => {
    const client = naiveClient();
    const looped = await traced('dashboard lookups', () => client.client.namesOneQueryEach.query({ ids }));
    const batched = await traced('dashboard lookups', () => client.client.namesBatched.query({ ids }));
    await findingsOf(looped, ids.length);
    await findingsOf(batched, 3);
    await using browser = await openBrowser();
    const page = await browser.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `explorer-${name}.png`) });

    await page.goto(`${explorerUrl}/`);
    const flagged = page.locator(`tr[data-trace="${looped}"]`);
    await flagged.waitFor();
    expect(await flagged.locator('.badge').allTextContents()).toEqual([`N+1 query ×${ids.length}`]);
    expect(await page.locator(`tr[data-trace="${batched}"] .badge`).count()).toBe(0);
    await shot('list');
    await page.selectOption('select[name=finding]', 'n+1-query');
    await page.click('#filters button[type=submit]');
    await page.locator(`tr[data-trace="${batched}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('#traces tbody tr:not(.flagged)').count()).toBe(0);

    // Live: a trace made now appears without a reload, and not while paused.
    await page.selectOption('select[name=finding]', '');
    await page.click('#filters button[type=submit]');
    const fresh = await traced('live lookups', () =>
      client.client.namesBatched.query({ ids: ids.slice(0, 3) }),
    );
    await page.locator(`tr[data-trace="${fresh}"]`).waitFor();
    await page.click('#live');
    const whilePaused = await traced('paused lookups', () =>
      client.client.namesBatched.query({ ids: ids.slice(0, 2) }),
    );
    await findingsOf(whilePaused, 3);
    await delay(600);
    expect(await page.locator(`tr[data-trace="${whilePaused}"]`).count()).toBe(0);
    expect(await page.locator('#live').textContent()).toMatch(/Paused \(\d+ new\)/);
    await page.click('#live');
    await page.locator(`tr[data-trace="${whilePaused}"]`).waitFor();

    await page.goto(`${explorerUrl}/#/trace/${looped}`);
    const group = page.locator('#waterfall .row.group');
    await group.waitFor();
    expect(await group.textContent()).toContain(`SELECT … FROM users.users WHERE id = $1 × ${ids.length}`);
    expect(await page.locator('#waterfall .row.in-group:visible').count()).toBe(0);
    expect(await page.locator('#span-logs').textContent()).toContain('looking names up one query at a time');
    await shot('trace');
    await group.click();
    expect(await page.locator('#waterfall .row.in-group:visible').count()).toBe(ids.length);
    await group.click();

    await page.goto(`${explorerUrl}/#/logs`);
    await page.fill('#log-filters input[name=q]', 'one query at a time');
    await page.click('#log-filters button[type=submit]');
    const logRow = page.locator('#logs tbody tr', { hasText: 'one query at a time' }).first();
    await logRow.waitFor();
    await shot('logs');
    await logRow.locator('a').click();
    await page.locator('#waterfall .row.procedure').first().waitFor();
    expect(page.url()).toContain('#/trace/');

    await page.goto(`${explorerUrl}/#/map`);
    await page.locator('#service-map .node').first().waitFor();
    const nodes = await page.locator('#service-map .node .name').allTextContents();
    expect(nodes).toEqual(expect.arrayContaining(['naive-lookups', 'user-cache', 'ingestion', 'e2e-caller']));
    expect(await page.locator('#service-map .edge').count()).toBeGreaterThanOrEqual(3);
    await shot('map');

    await page.goto(`${explorerUrl}/#/procedure/naive-lookups.namesOneQueryEach`);
    await page.locator('.histogram').waitFor();
    expect(await page.locator('#procedure-view .finding').first().textContent()).toContain('N+1 query');
    await shot('procedure');

    await page.goto(`${explorerUrl}/#/compare/${looped}/${batched}`);
    await page.locator('table.compare tbody tr').first().waitFor();
    expect(await page.locator('.cards').first().textContent()).toContain('queries');
    await shot('compare');
    await client.close();
  }, 60_000);
});
