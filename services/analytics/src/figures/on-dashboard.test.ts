import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AnalyticsHarness, startAnalytics } from '../testing/start-analytics.js';
import type { DashboardMetrics } from './figure-queries.js';

let h: AnalyticsHarness;

beforeAll(async () => {
  h = await startAnalytics({ replicas: 2, env: { ANALYTICS_DASHBOARD_DEBOUNCE_MS: '100' } });
});

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

const trade = { userId: 5n, asset: 'BTC', side: 'buy' as const, quantity: '1', price: '2' };

it('pushes fresh dashboard metrics to a subscriber of another replica after trades are recorded', async () => {
  const pushes: DashboardMetrics[] = [];
  let subscription: { unsubscribe(): void } | undefined;
  const sawThree = new Promise<void>((resolve, reject) => {
    const first = new Promise<void>((onFirst) => {
      subscription = h.meshOf(1).analytics.onDashboard.subscribe(undefined, {
        onData: (metrics) => {
          pushes.push(metrics);
          if (pushes.length === 1) onFirst();
          if (metrics.trades === 3) resolve();
        },
        onError: reject,
      });
    });
    void first.then(async () => {
      for (let n = 0; n < 3; n += 1) await h.mesh.analytics.recordTrades.mutate({ trades: [trade] });
    }, reject);
  });
  await sawThree;
  subscription?.unsubscribe();
  expect(pushes[0]).toMatchObject({ trades: 0 });
  // Each push is the dashboard as it was after some write: never older than the one before.
  const counts = pushes.map((metrics) => metrics.trades);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(counts.at(-1)).toBe(3);
});
