import { setTimeout as sleep } from 'node:timers/promises';
import { withRequestStats } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';
import { type OwnRedisCluster, startOwnRedisCluster } from './testing/own-redis-cluster.js';

// A Redis Cluster of this file's own (three masters), as the prod overlay sets REDIS_CLUSTER_NODES.
let cluster: OwnRedisCluster;
let cache: Awaited<ReturnType<typeof createTestCache>>;
let replica: Awaited<ReturnType<typeof createTestCache>>;

beforeAll(async () => {
  cluster = await startOwnRedisCluster();
  const env = { REDIS_URL: null, REDIS_CLUSTER_NODES: cluster.nodes };
  cache = await createTestCache({ service: 'clustered', env, l1: { maxEntries: 100 } });
  replica = await createTestCache({
    service: 'clustered',
    env: { ...env, CACHE_KEY_PREFIX: cache.keyPrefix },
    l1: { maxEntries: 100 },
  });
}, 60_000);
afterAll(async () => {
  await replica?.close();
  await cache?.[Symbol.asyncDispose]();
  await cluster?.stop();
});

describe('on a Redis Cluster', () => {
  it('keeps a namespace in one slot, so MGET, pipelines and scripts work across many keys', async () => {
    expect(cache.key('user', 1)).toBe(`{${cache.keyPrefix}clustered:user}:1`);
    const keys = Array.from({ length: 200 }, (_, i) => cache.key('user', i));
    const load = vi.fn(
      async (missing: string[]) => new Map(missing.map((key) => [key, { key, at: new Date(0) }])),
    );
    expect(await cache.getManyOrLoad(keys, load, { ttl: 60 })).toHaveLength(200);
    await sleep(50);
    const again = await cache.getManyOrLoad(keys, load, { ttl: 60 });
    expect(again[7]).toEqual({ key: keys[7], at: new Date(0) });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads and writes many namespaces at once (one pipeline per namespace)', async () => {
    const entries = ['a', 'b', 'c', 'd'].flatMap((ns) =>
      [1, 2].map((i) => ({ key: cache.key(ns, i), value: `${ns}${i}`, ttl: 60 })),
    );
    await cache.setMany(entries);
    expect(await cache.getMany(entries.map((entry) => entry.key))).toEqual(
      entries.map((entry) => entry.value),
    );
  });

  it('runs getOrSet once for concurrent misses and invalidates by namespace, tag and pattern', async () => {
    const loader = vi.fn(async () => 'figure');
    const key = cache.key('dash', 'total');
    await Promise.all(
      Array.from({ length: 20 }, () => cache.getOrSet(key, loader, { ttl: 60, tags: ['trades'] })),
    );
    expect(loader).toHaveBeenCalledTimes(1);
    await cache.set(cache.key('revenue', 'day'), 1, { ttl: 60, tags: ['trades'] });
    expect(await cache.invalidateTag('trades')).toBe(2);
    await cache.setMany([1, 2, 3].map((i) => ({ key: cache.key('feed', 'list', i), value: i, ttl: 60 })));
    expect(await cache.invalidatePattern('feed', 'list:1')).toBe(1);
    expect(await cache.invalidateNamespace('feed')).toBe(2);
    expect(await cache.getMany([key, cache.key('feed', 'list', 2)])).toEqual([undefined, undefined]);
  });

  it("validates L1 entries against versions in the namespace's slot, and counts rate limits", async () => {
    // The replica's bus messages are dropped: only the versions can tell the cache's L1.
    const publish = vi
      .spyOn(replica.redis as NonNullable<typeof replica.redis>, 'publish')
      .mockResolvedValue(0);
    const options = { ttl: 60, l1: true };
    const single = cache.key('config', 1);
    const batched = [cache.key('member', 1), cache.key('member', 2)];
    const load = (value: string) => async (missing: string[]) => new Map(missing.map((key) => [key, value]));
    for (let i = 0; i < 2; i++) {
      await cache.getOrSet(single, async () => 'v1', options);
      await cache.getManyOrLoad(batched, load('v1'), options);
    }
    const warm = await withRequestStats(() => cache.getManyOrLoad(batched, load('x'), options));
    expect(warm).toMatchObject({ result: ['v1', 'v1'], stats: { redisRoundTrips: 1, cacheHits: 2 } });
    await replica.set(single, 'v2', { ttl: 60 });
    await replica.del(batched[0] as string);
    expect(await cache.getOrSet(single, async () => 'x', options)).toBe('v2');
    expect(await cache.getManyOrLoad(batched, load('v2'), options)).toEqual(['v2', 'v1']);
    publish.mockRestore();
    const limiter = cache.rateLimiter({ name: 'reads', limit: 1, windowSeconds: 60 });
    expect((await limiter.hit([1n, 2n, 1n])).map((decision) => decision.allowed)).toEqual([
      true,
      true,
      false,
    ]);
  });
});
