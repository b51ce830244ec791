import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AnalyticsHarness, startAnalytics } from '../testing/start-analytics.js';

let h: AnalyticsHarness;

beforeAll(async () => {
  h = await startAnalytics();
});

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

it('counts hits, misses and the hit ratio per figure since start', async () => {
  const caller = h.caller();
  for (let n = 0; n < 4; n += 1) await caller.dashboardMetrics();
  await caller.assetPerformance();
  const { figures } = await caller.cacheStats();
  expect(figures.dashboardMetrics).toMatchObject({ hits: 3, misses: 1, stale: 0, hitRatio: 0.75 });
  expect(figures.assetPerformance).toMatchObject({ hits: 0, misses: 1 });
  expect(figures.revenue).toMatchObject({ hits: 0, misses: 0, hitRatio: 0 });
});

it('puts the same counts on /metrics, by figure namespace', async () => {
  const response = await fetch(`${h.replicas[0]?.url}/metrics`);
  const text = await response.text();
  expect(text).toMatch(/mesh_cache_lookups_total\{[^}]*namespace="dashboard"[^}]*result="hit"[^}]*\} 3/);
  expect(text).toMatch(/mesh_cache_lookups_total\{[^}]*namespace="dashboard"[^}]*result="miss"[^}]*\} 1/);
});
