import { withRequestStats } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cache } from './create-cache.js';
import { createTestCache } from './testing/create-test-cache.js';

let first: Awaited<ReturnType<typeof createTestCache>>;
let second: Cache & AsyncDisposable;

beforeAll(async () => {
  // Two instances of one service, as two replicas would be: same Redis, same prefix.
  first = await createTestCache({ service: 'replicated', l1: { maxEntries: 100 } });
  second = await createTestCache({
    service: 'replicated',
    l1: { maxEntries: 100 },
    env: { CACHE_KEY_PREFIX: first.keyPrefix },
  });
});
afterAll(async () => {
  await second?.close();
  await first?.[Symbol.asyncDispose]();
});

describe('in-process L1', () => {
  it('answers a repeated read from process memory, without Redis', async () => {
    const key = first.key('config', 'limits');
    const loader = vi.fn(async () => ({ max: 10 }));
    await first.getOrSet(key, loader, { ttl: 300, l1: true });
    const { result, stats } = await withRequestStats(() =>
      first.getOrSet(key, loader, { ttl: 300, l1: true }),
    );
    expect(result).toEqual({ max: 10 });
    expect(stats).toMatchObject({ redisRoundTrips: 0, cacheHits: 1 });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('hands out a copy, so a caller that mutates its answer changes nobody else', async () => {
    const key = first.key('config', 'copy');
    const value = await first.getOrSet(key, async () => ({ list: [1] }), { ttl: 300, l1: true });
    value.list.push(2);
    expect(await first.getOrSet(key, async () => ({ list: [0] }), { ttl: 300, l1: true })).toEqual({
      list: [1],
    });
  });

  it('drops an entry when another instance writes or invalidates it (the pub/sub bus)', async () => {
    const key = first.key('config', 'shared');
    await first.getOrSet(key, async () => 'v1', { ttl: 300, l1: true });
    await second.set(key, 'v2', { ttl: 300 });
    await vi.waitFor(async () =>
      expect(await first.getOrSet(key, async () => 'unused', { ttl: 300, l1: true })).toBe('v2'),
    );

    await second.invalidateNamespace('config');
    await vi.waitFor(async () =>
      expect(await first.getOrSet(key, async () => 'v3', { ttl: 300, l1: true })).toBe('v3'),
    );
  });

  it('drops tagged entries when another instance invalidates the tag', async () => {
    const key = first.key('dash', 'total');
    await first.getOrSet(key, async () => 1, { ttl: 300, l1: true, tags: ['trades'] });
    await second.invalidateTag('trades');
    await vi.waitFor(async () =>
      expect(await first.getOrSet(key, async () => 2, { ttl: 300, l1: true, tags: ['trades'] })).toBe(2),
    );
  });

  it('answers many keys from process memory, as copies that keep BigInt and Date', async () => {
    const keys = [first.key('member', 1), first.key('member', 2)];
    const load = vi.fn(async (missing: string[]) => {
      return new Map(
        missing.map((key, index) => [key, { id: BigInt(index + 1), at: new Date(0), tags: ['a'] }]),
      );
    });
    const options = { ttl: 300, l1: true };
    await first.getManyOrLoad(keys, load, options);
    const { result, stats } = await withRequestStats(() => first.getManyOrLoad(keys, load, options));
    expect(stats).toMatchObject({ redisRoundTrips: 0, cacheHits: 2 });
    expect(result).toEqual([
      { id: 1n, at: new Date(0), tags: ['a'] },
      { id: 2n, at: new Date(0), tags: ['a'] },
    ]);
    result[0]?.tags.push('changed');
    result[0]?.at.setTime(5);
    const again = await first.getManyOrLoad(keys, load, options);
    expect(again[0]).toEqual({ id: 1n, at: new Date(0), tags: ['a'] });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('drops a batch-read entry when another instance invalidates it', async () => {
    const key = first.key('member', 'shared');
    const options = { ttl: 300, l1: true };
    await first.getManyOrLoad([key], async () => new Map([[key, 'v1']]), options);
    await second.del(key);
    await vi.waitFor(async () =>
      expect(await first.getManyOrLoad([key], async () => new Map([[key, 'v2']]), options)).toEqual(['v2']),
    );
  });

  it('keeps out of the L1 a batch value loaded while an invalidation of it landed', async () => {
    const key = first.key('member', 'raced');
    const options = { ttl: 300, l1: true };
    // The load reads the old row; the key is invalidated before the load answers.
    await first.getManyOrLoad(
      [key],
      async () => {
        await first.del(key);
        return new Map([[key, 'old']]);
      },
      options,
    );
    const reload = vi.fn(async () => new Map([[key, 'new']]));
    expect(await first.getManyOrLoad([key], reload, options)).toEqual(['new']);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('keeps out of the L1 a single value loaded while an invalidation of it landed', async () => {
    const key = first.key('config', 'raced');
    await first.getOrSet(
      key,
      async () => {
        await first.del(key);
        return 'old';
      },
      { ttl: 300, l1: true },
    );
    await vi.waitFor(async () =>
      expect(await first.getOrSet(key, async () => 'new', { ttl: 300, l1: true })).toBe('new'),
    );
  });
});
