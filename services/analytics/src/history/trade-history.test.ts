import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsHarness, startAnalytics } from '../testing/start-analytics.js';

let h: AnalyticsHarness;
const base = Date.UTC(2026, 1, 1);

const closedAt = (second: number, userId = 1n, asset = 'BTC/USDT') => ({
  userId,
  asset,
  side: 'buy' as const,
  quantity: '1',
  price: '10',
  status: 'closed' as const,
  openedAt: new Date(base),
  // Several trades share each closing time, so the id breaks ties.
  closedAt: new Date(base + Math.floor(second / 3) * 1000),
});

beforeAll(async () => {
  h = await startAnalytics();
  await h.mesh.analytics.recordTrades.mutate({
    trades: Array.from({ length: 120 }, (_, n) =>
      closedAt(n, BigInt(1 + (n % 3)), n % 2 ? 'ETH' : 'BTC/USDT'),
    ),
  });
});

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

describe('tradeHistory', () => {
  it('sees every older trade exactly once while trades are recorded between and during pages', async () => {
    const { trades: all } = await h.mesh.analytics.tradeHistoryPage.query({ limit: 100, page: 1 });
    const { trades: rest } = await h.mesh.analytics.tradeHistoryPage.query({ limit: 100, page: 2 });
    const expected = [...all, ...rest].map((t) => t.id);
    expect(expected).toHaveLength(120);

    const seen: bigint[] = [];
    let cursor: string | undefined;
    let round = 0;
    do {
      round += 1;
      // Newer trades, and trades tied with existing closing times, land while we page.
      const [page] = await Promise.all([
        h.mesh.analytics.tradeHistory.query({ cursor, limit: 25 }),
        h.mesh.analytics.recordTrades.mutate({
          trades: [
            closedAt(1000 + round),
            closedAt(60 - round * 3),
            { ...closedAt(0), status: 'open', closedAt: undefined },
          ],
        }),
      ]);
      seen.push(...page.trades.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    const older = seen.filter((id) => expected.includes(id));
    expect(older).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('orders by closing time then id, newest first, and filters by user and asset', async () => {
    const page = await h.mesh.analytics.tradeHistory.query({ userId: 2n, asset: 'ETH', limit: 100 });
    expect(page.trades.length).toBeGreaterThan(0);
    for (const trade of page.trades)
      expect(trade).toMatchObject({ userId: 2n, asset: 'ETH', status: 'closed' });
    const keys = page.trades.map((t) => [t.closedAt.getTime(), t.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || (b[1] > a[1] ? 1 : -1));
    expect(keys).toEqual(sorted);
  });

  it('answers a page in one query, 50 trades by default', async () => {
    const { result, queries } = await expectQueryBudget(() => h.caller().tradeHistory({}), 1);
    expect(queries).toBe(1);
    expect(result.trades).toHaveLength(50);
    expect(result.nextCursor).toEqual(expect.any(String));
  });

  it('gives numbered pages with the total', async () => {
    const page = await h.mesh.analytics.tradeHistoryPage.query({ userId: 1n, page: 2, limit: 10 });
    expect(page).toMatchObject({ page: 2, limit: 10 });
    expect(page.total).toBeGreaterThanOrEqual(40);
    expect(page.trades).toHaveLength(10);
    expect(page.pages).toBe(Math.ceil(page.total / 10));
  });

  it.each([
    ['limit', { limit: 0 }],
    ['limit', { limit: 1000 }],
    ['cursor', { cursor: "MTIz'; DROP TABLE trades;--" }],
    ['cursor', { cursor: Buffer.from('1.1) OR (1=1').toString('base64url') }],
    ['cursor', { cursor: Buffer.from('1700000000000000.0').toString('base64url') }],
    ['asset', { asset: 'btc usdt' }],
  ])('refuses a bad %s with BAD_REQUEST', async (path, input) => {
    expect(await callError(h.mesh.analytics.tradeHistory.query(input))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await badRequestPaths(h.mesh.analytics.tradeHistory.query(input))).toContain(path);
  });

  it('refuses a page past the cap with BAD_REQUEST naming page', async () => {
    const input = { page: 201, limit: 50 };
    expect(await badRequestPaths(h.mesh.analytics.tradeHistoryPage.query(input))).toContain('page');
  });
});
