import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError, countRows } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsHarness, startAnalytics } from '../testing/start-analytics.js';

let h: AnalyticsHarness;

beforeAll(async () => {
  h = await startAnalytics({ env: { ANALYTICS_CHUNK_SIZE: '100' } });
});

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

const trade = (n: number) => ({
  userId: BigInt(1 + (n % 7)),
  asset: 'BTC/USDT',
  side: 'buy' as const,
  quantity: '0.1',
  price: '65000.5',
});

describe('recordTrades', () => {
  it('writes one chunk with one INSERT', async () => {
    const caller = h.caller();
    const { result, queries } = await expectQueryBudget(
      () => caller.recordTrades({ trades: Array.from({ length: 100 }, (_, n) => trade(n)) }),
      1,
    );
    expect(result).toEqual({ recorded: 100 });
    expect(queries).toBe(1);
  });

  it('writes 250 trades as three INSERTs in one transaction', async () => {
    const caller = h.caller();
    const { result, queries } = await expectQueryBudget(
      () => caller.recordTrades({ trades: Array.from({ length: 250 }, (_, n) => trade(n)) }),
      5,
    );
    expect(result).toEqual({ recorded: 250 });
    expect(queries).toBe(5); // BEGIN, 3 x INSERT, COMMIT
  });

  it('keeps money exact to ten decimal places', async () => {
    const caller = h.caller();
    await caller.recordTrades({
      trades: [
        {
          userId: 99n,
          asset: 'ETH',
          side: 'sell',
          quantity: '0.0000000001',
          price: '123456789012345678.1234567891',
          fee: '0.3',
          pnl: '-0.1',
          status: 'closed',
          closedAt: new Date(),
        },
      ],
    });
    const dashboard = await caller.dashboardMetrics();
    expect(dashboard.revenue).toBe('0.3');
    expect(dashboard.pnl).toBe('-0.1');
  });

  it.each([
    ['trades', { trades: [] }],
    ['trades.0.quantity', { trades: [{ ...trade(1), quantity: '0' }] }],
    ['trades.0.price', { trades: [{ ...trade(1), price: '1e5' }] }],
    ['trades.0.asset', { trades: [{ ...trade(1), asset: "BTC'; DROP TABLE trades;--" }] }],
    ['trades.0.closedAt', { trades: [{ ...trade(1), status: 'closed' }] }],
    ['trades.0.pnl', { trades: [{ ...trade(1), pnl: '5' }] }],
    ['trades.1.userId', { trades: [trade(1), { ...trade(2), userId: 0n }] }],
  ])('refuses a bad %s with BAD_REQUEST naming it and writes nothing', async (path, input) => {
    const before = await countRows(h.database.url, 'analytics.trades');
    expect(await callError(h.mesh.analytics.recordTrades.mutate(input as never))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await badRequestPaths(h.mesh.analytics.recordTrades.mutate(input as never))).toContain(path);
    expect(await countRows(h.database.url, 'analytics.trades')).toBe(before);
  });
});
