import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsHarness, startAnalytics } from '../testing/start-analytics.js';

let h: AnalyticsHarness;

const day = (n: number, hour = 12) => new Date(Date.UTC(2026, 0, n, hour));
const closed = (userId: bigint, asset: string, fee: string, pnl: string, closedAt: Date) => ({
  userId,
  asset,
  side: 'buy' as const,
  quantity: '2',
  price: '100',
  fee,
  pnl,
  status: 'closed' as const,
  openedAt: new Date(closedAt.getTime() - 3_600_000),
  closedAt,
});

async function getUsersCalls(): Promise<number> {
  const metric = h.userCache.service.metrics.registry.getSingleMetric('mesh_procedure_calls_total');
  const { values } = (await metric?.get()) ?? { values: [] };
  return values.filter((v) => v.labels.procedure === 'getUsers').reduce((sum, v) => sum + v.value, 0);
}

beforeAll(async () => {
  h = await startAnalytics({ replicas: 2 });
  await h.mesh.userCache.createUsers.mutate({
    users: [
      { id: 1n, name: 'Ada' },
      { id: 2n, name: 'Bob' },
      { id: 3n, name: 'Cy' },
    ],
  });
  await h.mesh.analytics.recordTrades.mutate({
    trades: [closed(1n, 'BTC/USDT', '1.5', '40', day(3)), closed(2n, 'ETH/USDT', '0.5', '-10', day(4))],
  });
});

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

describe('cached figures', () => {
  it('computes the dashboard metrics exactly, in one statement', async () => {
    const caller = h.caller();
    const { result, queries } = await expectQueryBudget(() => caller.dashboardMetrics(), 1);
    expect(queries).toBe(1);
    expect(result).toMatchObject({
      traders: 2,
      trades: 2,
      openTrades: 0,
      volume: '400',
      revenue: '2',
      pnl: '30',
    });
  });

  it('buckets revenue by day over the closed trades of the range', async () => {
    const points = await h.mesh.analytics.revenue.query({ from: day(1, 0), to: day(10, 0), bucket: 'day' });
    expect(points).toEqual([
      { bucket: day(3, 0), revenue: '1.5', trades: 1 },
      { bucket: day(4, 0), revenue: '0.5', trades: 1 },
    ]);
  });

  it('names the top users from one user-cache call for all of them', async () => {
    const before = await getUsersCalls();
    const top = await h.mesh.analytics.topUsersByPnl.query({ limit: 5 });
    expect(top).toEqual([
      { userId: 1n, name: 'Ada', value: '40', trades: 1 },
      { userId: 2n, name: 'Bob', value: '-10', trades: 1 },
    ]);
    expect(await getUsersCalls()).toBe(before + 1);
    const byVolume = await h.mesh.analytics.topUsersByVolume.query({ limit: 1 });
    expect(byVolume).toEqual([{ userId: 1n, name: 'Ada', value: '200', trades: 1 }]);
    expect(await getUsersCalls()).toBe(before + 2);
  });

  it('counts first trades per day and the signups among those traders', async () => {
    const growth = await h.mesh.analytics.userGrowth.query({ from: day(1, 0), to: day(10, 0) });
    expect(growth.days.map((d) => [d.day.toISOString(), d.newTraders])).toEqual([
      [day(3, 0).toISOString(), 1],
      [day(4, 0).toISOString(), 1],
    ]);
    expect(growth.signupsComplete).toBe(true);
  });

  it('reports performance per asset', async () => {
    const assets = await h.mesh.analytics.assetPerformance.query();
    expect(assets).toEqual([
      {
        asset: 'BTC/USDT',
        trades: 1,
        closedTrades: 1,
        winningTrades: 1,
        volume: '200',
        pnl: '40',
        fees: '1.5',
      },
      {
        asset: 'ETH/USDT',
        trades: 1,
        closedTrades: 1,
        winningTrades: 0,
        volume: '200',
        pnl: '-10',
        fees: '0.5',
      },
    ]);
  });

  it('runs the SQL of a cold figure once for 500 concurrent reads', async () => {
    const caller = h.caller();
    const { queries } = await expectQueryBudget(
      () => Promise.all(Array.from({ length: 500 }, () => caller.topUsersByVolume({ limit: 7 }))),
      1,
    );
    expect(queries).toBe(1);
  });
});

describe('after recordTrades returns', () => {
  it('every figure read next reflects it, on this replica and on another', async () => {
    const [first, second] = [h.mesh, h.meshOf(1)];
    const range = { from: day(1, 0), to: day(10, 0) };
    const read = (mesh: typeof first) =>
      Promise.all([
        mesh.analytics.dashboardMetrics.query(),
        mesh.analytics.revenue.query({ ...range, bucket: 'day' }),
        mesh.analytics.userGrowth.query(range),
        mesh.analytics.topUsersByPnl.query({ limit: 5 }),
        mesh.analytics.topUsersByVolume.query({ limit: 5 }),
        mesh.analytics.assetPerformance.query(),
      ]);
    await read(first);
    await read(second); // both replicas have every figure cached now

    await first.analytics.recordTrades.mutate({ trades: [closed(3n, 'SOL/USDT', '3', '500', day(5))] });

    for (const mesh of [second, first]) {
      const [dashboard, revenue, growth, topPnl, topVolume, assets] = await read(mesh);
      expect(dashboard).toMatchObject({ traders: 3, trades: 3, revenue: '5', pnl: '530' });
      expect(revenue.at(-1)).toEqual({ bucket: day(5, 0), revenue: '3', trades: 1 });
      expect(growth.days.at(-1)).toMatchObject({ day: day(5, 0), newTraders: 1 });
      expect(topPnl[0]).toMatchObject({ userId: 3n, name: 'Cy', value: '500' });
      expect(topVolume.map((u) => u.userId)).toContain(3n);
      expect(assets.map((a) => a.asset)).toContain('SOL/USDT');
    }
  });

  it('keeps the figures an open trade cannot change cached, and refreshes the rest', async () => {
    const caller = h.caller();
    const range = { from: day(1, 0), to: day(10, 0), bucket: 'day' as const };
    await caller.revenue(range);
    await caller.dashboardMetrics();
    await caller.recordTrades({
      trades: [{ userId: 1n, asset: 'BTC/USDT', side: 'sell', quantity: '1', price: '10', openedAt: day(6) }],
    });
    const revenue = await expectQueryBudget(() => caller.revenue(range), 0);
    expect(revenue.queries).toBe(0);
    const dashboard = await expectQueryBudget(() => caller.dashboardMetrics(), 1);
    expect(dashboard.queries).toBe(1);
    expect(dashboard.result.openTrades).toBe(1);
  });
});

describe('bad input', () => {
  const later = { from: day(10, 0), to: day(1, 0) };
  const same = { from: day(5, 0), to: day(5, 0) };
  it.each([
    ['revenue', 'from after to', 'from', () => h.mesh.analytics.revenue.query({ ...later, bucket: 'day' })],
    ['revenue', 'from equal to to', 'from', () => h.mesh.analytics.revenue.query({ ...same, bucket: 'day' })],
    ['userGrowth', 'from after to', 'from', () => h.mesh.analytics.userGrowth.query(later)],
    ['userGrowth', 'from equal to to', 'from', () => h.mesh.analytics.userGrowth.query(same)],
    [
      'revenue',
      'hourly buckets over 199 days',
      'bucket',
      () => h.mesh.analytics.revenue.query({ from: day(1), to: day(200), bucket: 'hour' }),
    ],
    [
      'userGrowth',
      'a range over 366 days',
      'to',
      () => h.mesh.analytics.userGrowth.query({ from: day(1), to: day(400) }),
    ],
    ['topUsersByPnl', 'limit 0', 'limit', () => h.mesh.analytics.topUsersByPnl.query({ limit: 0 })],
    [
      'topUsersByVolume',
      'limit 1,000',
      'limit',
      () => h.mesh.analytics.topUsersByVolume.query({ limit: 1000 }),
    ],
  ] as const)('%s refuses %s with BAD_REQUEST naming %s', async (_procedure, _case, path, call) => {
    expect(await callError(call())).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await badRequestPaths(call())).toContain(path);
  });

  it('refuses a range whose from is after its to before any SQL runs', async () => {
    const caller = h.caller();
    const { result, queries } = await expectQueryBudget(
      () => caller.revenue({ ...later, bucket: 'day' }).catch((error: unknown) => error),
      0,
    );
    expect(result).toMatchObject({ code: 'BAD_REQUEST' });
    expect(queries).toBe(0);
  });
});
