import { withRequestStats } from '@mesh/telemetry';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';

describe('cache counters', () => {
  it('counts hits, misses and stale serves per namespace, on /metrics and in stats()', async () => {
    await using cache = await createTestCache({ service: 'metered' });
    const registry = new Registry();
    cache.registerMetrics(registry);
    const key = cache.key('users', 1);
    await cache.getOrSet(key, async () => 'a', { ttl: 60 });
    await cache.getOrSet(key, async () => 'a', { ttl: 60 });
    await cache.getMany([cache.key('users', 2), cache.key('posts', 1)]);

    expect(cache.stats()).toEqual({
      users: { hits: 1, misses: 2, stale: 0, errors: 0, hitRatio: 1 / 3 },
      posts: { hits: 0, misses: 1, stale: 0, errors: 0, hitRatio: 0 },
    });
    const text = await registry.metrics();
    expect(text).toContain('mesh_cache_lookups_total{cache="metered",namespace="users",result="hit"} 1');
    expect(text).toContain('mesh_cache_lookups_total{cache="metered",namespace="users",result="miss"} 2');
    expect(text).toContain('mesh_cache_redis_available{cache="metered"} 1');
  });

  it('adds hits, misses and Redis round trips to the active request (the procedure span)', async () => {
    await using cache = await createTestCache({ service: 'spans' });
    const keys = [cache.key('n', 1), cache.key('n', 2)];
    await cache.set(keys[0] as string, 1, { ttl: 60 });
    const { stats } = await withRequestStats(() => cache.getMany(keys));
    expect(stats).toMatchObject({ cacheHits: 1, cacheMisses: 1, redisRoundTrips: 1 });
  });
});
