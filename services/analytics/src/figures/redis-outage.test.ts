import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsHarness, startAnalytics } from '../testing/start-analytics.js';

/* A redis-server of this test's own on a free port, so stopping it touches nobody else. */

let redis: ChildProcess | undefined;
let h: AnalyticsHarness;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  return child;
}

const day = (n: number) => new Date(Date.UTC(2026, 2, n, 12));
const closed = (userId: bigint, fee: string, pnl: string, at: Date) => ({
  userId,
  asset: 'BTC',
  side: 'buy' as const,
  quantity: '1',
  price: '100',
  fee,
  pnl,
  status: 'closed' as const,
  openedAt: at,
  closedAt: at,
});

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  h = await startAnalytics({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  await h.mesh.userCache.createUsers.mutate({
    users: [
      { id: 1n, name: 'Ada' },
      { id: 2n, name: 'Bob' },
    ],
  });
  await h.mesh.analytics.recordTrades.mutate({ trades: [closed(1n, '1', '10', day(2))] });
});

afterAll(async () => {
  if (redis && redis.exitCode === null) redis.kill('SIGKILL');
  await h?.[Symbol.asyncDispose]();
});

describe('with Redis down', () => {
  it('answers every figure correctly and reports redis degraded in /readyz while staying ready', async () => {
    const range = { from: day(1), to: day(10) };
    const readAll = () =>
      Promise.all([
        h.mesh.analytics.dashboardMetrics.query(),
        h.mesh.analytics.revenue.query({ ...range, bucket: 'day' }),
        h.mesh.analytics.userGrowth.query(range),
        h.mesh.analytics.topUsersByPnl.query({ limit: 5 }),
        h.mesh.analytics.topUsersByVolume.query({ limit: 5 }),
        h.mesh.analytics.assetPerformance.query(),
      ]);
    await readAll(); // cached in the Redis about to go away

    const before = await fetch(`${h.replicas[0]?.url}/readyz`);
    expect(await before.json()).toMatchObject({ ready: true, checks: { redis: 'ok' } });

    redis?.kill('SIGKILL');
    if (redis?.exitCode === null) await once(redis, 'exit');

    await h.mesh.analytics.recordTrades.mutate({ trades: [closed(2n, '2', '30', day(3))] });
    const [dashboard, revenue, growth, topPnl, topVolume, assets] = await readAll();
    expect(dashboard).toMatchObject({ traders: 2, trades: 2, revenue: '3', pnl: '40', volume: '200' });
    expect(revenue.map((p) => p.revenue)).toEqual(['1', '2']);
    expect(growth.days.map((d) => d.newTraders)).toEqual([1, 1]);
    expect(topPnl.map((u) => [u.name, u.value])).toEqual([
      ['Bob', '30'],
      ['Ada', '10'],
    ]);
    expect(topVolume).toHaveLength(2);
    expect(assets).toEqual([expect.objectContaining({ asset: 'BTC', trades: 2, pnl: '40' })]);

    const during = await fetch(`${h.replicas[0]?.url}/readyz`);
    expect(during.status).toBe(200);
    expect(await during.json()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'degraded' } });
  });
});
