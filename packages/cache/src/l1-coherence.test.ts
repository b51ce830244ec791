import { withRequestStats } from '@mesh/telemetry';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeValue, serialise } from './entry.js';
import { createKeyspace } from './keyspace.js';
import { createTestCache } from './testing/create-test-cache.js';
import { bucketOf } from './version-buckets.js';

type TestCache = Awaited<ReturnType<typeof createTestCache>>;

// Two instances of one service, as two replicas would be: same Redis, same prefix, an L1
// each. Their invalidation bus delivers nothing: every PUBLISH of either is dropped (Redis
// pub/sub delivers at most once, and nothing to a subscriber that is reconnecting), so what
// they answer after the other's invalidation is decided by the versions alone.
let first: TestCache;
let second: TestCache;
let redis: Redis;
const ttl = { ttl: 300, l1: true };

beforeAll(async () => {
  first = await createTestCache({ service: 'replicated', l1: { maxEntries: 100 } });
  second = await createTestCache({
    service: 'replicated',
    l1: { maxEntries: 100 },
    env: { CACHE_KEY_PREFIX: first.keyPrefix },
  });
  for (const cache of [first, second]) vi.spyOn(cache.redis as Redis, 'publish').mockResolvedValue(0);
  redis = first.redis as Redis;
});
afterAll(async () => {
  await second?.close();
  await first?.[Symbol.asyncDispose]();
});

/** The Redis key of a key's namespace versions (bookkeeping, not reachable through `key()`). */
function versionKeyOf(key: string): string {
  const keyspace = createKeyspace({ service: 'replicated', prefix: first.keyPrefix });
  return keyspace.versionKey(keyspace.namespaceOf(key));
}

/** Writes a value straight into Redis, around the cache: no invalidation, no version moved. */
const writeAround = (key: string, value: unknown) =>
  redis.set(key, encodeValue(serialise(value), Date.now() + 300_000), 'PX', 300_000);

/** Reads a key twice through `cache`: the first read finds its bucket without a version and sets one; the L1 fills from the second. */
async function warmSingle(cache: TestCache, key: string, value: unknown) {
  await cache.getOrSet(key, async () => value, ttl);
  await cache.getOrSet(key, async () => value, ttl);
}
async function warmBatch(cache: TestCache, keys: string[], value: (key: string) => unknown) {
  const load = async (missing: string[]) => new Map(missing.map((key) => [key, value(key)]));
  await cache.getManyOrLoad(keys, load, ttl);
  await cache.getManyOrLoad(keys, load, ttl);
}
const loadAs =
  <T>(value: T) =>
  async (missing: string[]) =>
    new Map(missing.map((key) => [key, value]));

describe('validated L1: a hit', () => {
  it('answers one key from process memory after one round trip that reads its version', async () => {
    const key = first.key('config', 'limits');
    const loader = vi.fn(async () => ({ max: 10 }));
    await warmSingle(first, key, { max: 10 });
    const { result, stats } = await withRequestStats(() => first.getOrSet(key, loader, ttl));
    expect(result).toEqual({ max: 10 });
    expect(stats).toMatchObject({ redisRoundTrips: 1, cacheHits: 1 });
    expect(loader).not.toHaveBeenCalled();
    // From memory, not from Redis's value: a change made around the cache (no invalidation,
    // no version moved) is not seen.
    await writeAround(key, { max: 99 });
    expect(await first.getOrSet(key, loader, ttl)).toEqual({ max: 10 });
  });

  it('hands out a copy, so a caller that mutates its answer changes nobody else', async () => {
    const key = first.key('config', 'copy');
    await warmSingle(first, key, { list: [1] });
    const value = await first.getOrSet(key, async () => ({ list: [0] }), ttl);
    value.list.push(2);
    expect(await first.getOrSet(key, async () => ({ list: [0] }), ttl)).toEqual({ list: [1] });
  });

  it('answers many keys from process memory after one MGET of their versions, as copies that keep BigInt and Date', async () => {
    const keys = [first.key('member', 1), first.key('member', 2)];
    const value = (key: string) => ({ id: BigInt(keys.indexOf(key) + 1), at: new Date(0), tags: ['a'] });
    await warmBatch(first, keys, value);
    const load = vi.fn(async (_missing: string[]) => new Map<string, ReturnType<typeof value>>());
    const { result, stats } = await withRequestStats(() => first.getManyOrLoad(keys, load, ttl));
    expect(stats).toMatchObject({ redisRoundTrips: 1, cacheHits: 2, cacheMisses: 0 });
    expect(result).toEqual([
      { id: 1n, at: new Date(0), tags: ['a'] },
      { id: 2n, at: new Date(0), tags: ['a'] },
    ]);
    await writeAround(keys[0] as string, 'changed around the cache');
    result[0]?.tags.push('changed');
    result[0]?.at.setTime(5);
    const again = await first.getManyOrLoad(keys, load, ttl);
    expect(again[0]).toEqual({ id: 1n, at: new Date(0), tags: ['a'] });
    expect(load).not.toHaveBeenCalled();
  });

  it('answers a batch mixing held, invalidated, unread and repeated keys of two namespaces in the order asked', async () => {
    const changed = second.key('member', 'mix', 'changed');
    const held = [1, 2, 3, 4, 5]
      .map((n) => second.key('member', 'mix', n))
      .find((key) => bucketOf(key) !== bucketOf(changed)) as string;
    const heldElsewhere = second.key('config', 'mix', 'held');
    const unread = second.key('config', 'mix', 'unread');
    await warmBatch(second, [held, changed, heldElsewhere], (key) => `v1 ${key}`);
    await first.del(changed);
    // Changed around the cache: still answered from memory, so this is the L1's answer.
    await writeAround(held, 'around');
    const load = vi.fn(async (missing: string[]) => new Map(missing.map((key) => [key, `loaded ${key}`])));
    const batch = [unread, held, changed, heldElsewhere, held, unread, changed];
    const { result, stats } = await withRequestStats(() => second.getManyOrLoad(batch, load, ttl));
    expect(result).toEqual([
      `loaded ${unread}`,
      `v1 ${held}`,
      `loaded ${changed}`,
      `v1 ${heldElsewhere}`,
      `v1 ${held}`,
      `loaded ${unread}`,
      `loaded ${changed}`,
    ]);
    // Each key read and loaded once however often it is asked for: the deleted one re-read in a
    // second round trip (the first brought only versions for it), then loaded with the unread one.
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith([unread, changed]);
    expect(stats.redisRoundTrips).toBe(3);
  });
});

describe("validated L1: after another instance's invalidation has completed, the next read never answers the old value", () => {
  it('a write-through: the entry fails its version and is read again (two round trips for a batch, one for a key)', async () => {
    const [batched, single] = [second.key('member', 'set'), second.key('config', 'set')];
    await warmBatch(second, [batched], () => 'v1');
    await warmSingle(second, single, 'v1');
    await first.setMany([
      { key: batched, value: 'v2', ttl: 300 },
      { key: single, value: 'v2', ttl: 300 },
    ]);
    const load = vi.fn(loadAs('loaded'));
    const batch = await withRequestStats(() => second.getManyOrLoad([batched], load, ttl));
    expect(batch.result).toEqual(['v2']);
    // The bus said nothing: the entry was still there, failed its version, and was read again.
    expect(batch.stats).toMatchObject({ redisRoundTrips: 2, cacheHits: 1 });
    const one = await withRequestStats(() => second.getOrSet(single, async () => 'loaded', ttl));
    expect(one.result).toBe('v2');
    expect(one.stats).toMatchObject({ redisRoundTrips: 1, cacheHits: 1 });
    expect(load).not.toHaveBeenCalled();
    // Kept again under the new version: the next reads are L1 hits.
    await writeAround(batched, 'around');
    expect(await second.getManyOrLoad([batched], load, ttl)).toEqual(['v2']);
  });

  it("a del leaves the other buckets' entries valid: only the key's bucket is re-read", async () => {
    const touched = second.key('member', 'touched');
    const untouched = [1, 2, 3, 4, 5]
      .map((n) => second.key('member', 'untouched', n))
      .find((key) => bucketOf(key) !== bucketOf(touched)) as string;
    await warmBatch(second, [touched, untouched], () => 'v1');
    await first.del(touched);
    await writeAround(untouched, 'changed around the cache');
    const load = vi.fn(loadAs('v2'));
    expect(await second.getManyOrLoad([touched, untouched], load, ttl)).toEqual(['v2', 'v1']);
    expect(load).toHaveBeenCalledWith([touched]);
  });

  it('a del (tombstone): a miss, loaded again', async () => {
    const [batched, single] = [second.key('member', 'del'), second.key('config', 'del')];
    await warmBatch(second, [batched], () => 'v1');
    await warmSingle(second, single, 'v1');
    await first.del(batched, single);
    expect(await second.getManyOrLoad([batched], loadAs('v2'), ttl)).toEqual(['v2']);
    expect(await second.getOrSet(single, async () => 'v2', ttl)).toBe('v2');
  });

  it('a namespace invalidation', async () => {
    const [batched, single] = [second.key('wide', 'batched'), second.key('wide', 'single')];
    await warmBatch(second, [batched], () => 'v1');
    await warmSingle(second, single, 'v1');
    await first.invalidateNamespace('wide');
    expect(await second.getManyOrLoad([batched], loadAs('v2'), ttl)).toEqual(['v2']);
    expect(await second.getOrSet(single, async () => 'v2', ttl)).toBe('v2');
  });

  it('a pattern invalidation', async () => {
    const [batched, single] = [second.key('feed', 'list', 1), second.key('feed', 'list', 2)];
    await warmBatch(second, [batched], () => 'v1');
    await warmSingle(second, single, 'v1');
    await first.invalidatePattern('feed', 'list:*');
    expect(await second.getManyOrLoad([batched], loadAs('v2'), ttl)).toEqual(['v2']);
    expect(await second.getOrSet(single, async () => 'v2', ttl)).toBe('v2');
  });

  it('a tag invalidation', async () => {
    const key = second.key('dash', 'total');
    const options = { ...ttl, tags: ['trades'] };
    await second.getOrSet(key, async () => 1, options);
    await second.getOrSet(key, async () => 1, options);
    await first.invalidateTag('trades');
    expect(await second.getOrSet(key, async () => 2, options)).toBe(2);
  });

  it('a clear', async () => {
    const [batched, single] = [second.key('cleared', 'batched'), second.key('cleared', 'single')];
    await warmBatch(second, [batched], () => 'v1');
    await warmSingle(second, single, 'v1');
    await first.clear();
    expect(await second.getManyOrLoad([batched], loadAs('v2'), ttl)).toEqual(['v2']);
    expect(await second.getOrSet(single, async () => 'v2', ttl)).toBe('v2');
  });
});

describe('validated L1: what it does not trust', () => {
  it('never trusts a missing version: with it gone, a value changed around the cache is read, and the bucket gets a version again', async () => {
    const [batched, single] = [second.key('member', 'lost'), second.key('config', 'lost')];
    await warmBatch(second, [batched], () => 'old');
    await warmSingle(second, single, 'old');
    // The version lapsed or was evicted, and the value changed without an invalidation the
    // L1 could see: only Redis's value may answer now.
    await redis.del(versionKeyOf(batched), versionKeyOf(single));
    await writeAround(batched, 'new');
    await writeAround(single, 'new');
    expect(await second.getManyOrLoad([batched], loadAs('loaded'), ttl)).toEqual(['new']);
    expect(await second.getOrSet(single, async () => 'loaded', ttl)).toBe('new');
    await vi.waitFor(async () => expect(await redis.get(versionKeyOf(batched))).not.toBeNull());
    await vi.waitFor(async () => expect(await redis.get(versionKeyOf(single))).not.toBeNull());
  });

  it('treats a malformed version string as none, and the next invalidation removes it', async () => {
    const key = second.key('member', 'malformed');
    await warmBatch(second, [key], () => 'old');
    await redis.set(versionKeyOf(key), 'not 64 tokens');
    await writeAround(key, 'new');
    expect(await second.getManyOrLoad([key], loadAs('loaded'), ttl)).toEqual(['new']);
    await first.del(second.key('member', 'another'));
    expect(await redis.get(versionKeyOf(key))).not.toBe('not 64 tokens');
  });

  it('keeps a batch value loaded while an invalidation of it landed, but never answers it', async () => {
    const key = first.key('member', 'raced');
    // A miss that caches nothing, so the key's bucket has a version when the raced load starts.
    await first.getManyOrLoad([key], async () => new Map(), ttl);
    // The load reads the old row; the key is invalidated (on the other instance) before the load answers.
    await first.getManyOrLoad(
      [key],
      async () => {
        await second.del(key);
        return new Map([[key, 'old']]);
      },
      ttl,
    );
    const reload = vi.fn(loadAs('new'));
    expect(await first.getManyOrLoad([key], reload, ttl)).toEqual(['new']);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('keeps a single value loaded while an invalidation of it landed, but never answers it', async () => {
    const key = first.key('config', 'raced');
    await first.getOrSet(
      key,
      async () => {
        await second.del(key);
        return 'old';
      },
      ttl,
    );
    expect(await first.getOrSet(key, async () => 'new', ttl)).toBe('new');
  });
});

describe('validated L1 with the bus delivering', () => {
  it('drops what another instance invalidated before the next read meets it: one round trip, not two', async () => {
    await using writer = await createTestCache({ service: 'bus', l1: { maxEntries: 10 } });
    await using reader = await createTestCache({
      service: 'bus',
      l1: { maxEntries: 10 },
      env: { CACHE_KEY_PREFIX: writer.keyPrefix },
    });
    const key = reader.key('member', 1);
    await warmBatch(reader, [key], () => 'v1');
    await writer.set(key, 'v2', { ttl: 300 });
    await vi.waitFor(async () => {
      const { result, stats } = await withRequestStats(() => reader.getManyOrLoad([key], loadAs('x'), ttl));
      expect(result).toEqual(['v2']);
      expect(stats.redisRoundTrips).toBe(1);
    });
  });
});
