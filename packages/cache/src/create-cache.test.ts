import { Writable } from 'node:stream';
import { createLogger, withRequestStats } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CacheTtl } from './cache-ttl.js';
import type { Cache } from './create-cache.js';
import { createTestCache } from './testing/create-test-cache.js';

let cache: Cache & AsyncDisposable;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  cache = await createTestCache({
    service: 'svc',
    env: { CACHE_MAX_VALUE_BYTES: 2000 },
    logger: createLogger({ name: 'cache-test', level: 'warn', destination }),
  });
});
afterAll(async () => {
  await cache?.[Symbol.asyncDispose]();
});

describe('keys and values', () => {
  it('builds keys as <prefix><service>:<namespace>:<parts>', () => {
    const key = cache.key('user', 42n, 'wallets');
    expect(key).toMatch(/^test-[0-9a-f]{10}:svc:user:42:wallets$/);
    expect(() => cache.key('has:colon', 1)).toThrow(TypeError);
    expect(() => cache.key('user', '~epoch')).toThrow(TypeError);
  });

  it('has the named TTL presets', () => {
    expect(CacheTtl).toEqual({ VERY_SHORT: 60, SHORT: 300, MEDIUM: 900, LONG: 3600, VERY_LONG: 86_400 });
  });

  it('keeps BigInt, Date, Map and nested values through Redis', async () => {
    const value = {
      id: 2n ** 62n,
      at: new Date('2026-01-02T03:04:05.678Z'),
      tags: new Map([['a', 1]]),
      list: [null, 'x'],
    };
    await cache.set(cache.key('values', 'rich'), value, { ttl: CacheTtl.SHORT });
    expect(await cache.get(cache.key('values', 'rich'))).toEqual(value);
  });

  it('runs the loader on a miss only, and answers the next call from Redis', async () => {
    const loader = vi.fn(async () => ({ n: 1 }));
    const key = cache.key('once', 'a');
    expect(await cache.getOrSet(key, loader, { ttl: CacheTtl.SHORT })).toEqual({ n: 1 });
    const { result, stats } = await withRequestStats(() =>
      cache.getOrSet(key, loader, { ttl: CacheTtl.SHORT }),
    );
    expect(result).toEqual({ n: 1 });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(stats).toMatchObject({ cacheHits: 1, cacheMisses: 0, redisRoundTrips: 1 });
  });

  it('caches a loader answer of null or undefined like any other', async () => {
    const loader = vi.fn(async () => null);
    const key = cache.key('once', 'null');
    await cache.getOrSet(key, loader, { ttl: CacheTtl.SHORT });
    expect(await cache.getOrSet(key, loader, { ttl: CacheTtl.SHORT })).toBeNull();
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('does not cache a loader failure', async () => {
    const key = cache.key('once', 'fails');
    await expect(
      cache.getOrSet(key, async () => Promise.reject(new Error('db down')), { ttl: 60 }),
    ).rejects.toThrow('db down');
    expect(await cache.getOrSet(key, async () => 'later', { ttl: 60 })).toBe('later');
  });
});

describe('many keys at once', () => {
  it('reads many keys in one round trip (one MGET) and writes many in one pipeline', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => cache.key('many', i));
    const written = await withRequestStats(() =>
      cache.setMany(keys.map((key, i) => ({ key, value: { i }, ttl: CacheTtl.SHORT }))),
    );
    expect(written.stats.redisRoundTrips).toBe(1);
    const read = await withRequestStats(() =>
      cache.getMany<{ i: number }>([...keys, cache.key('many', 'absent')]),
    );
    expect(read.stats.redisRoundTrips).toBe(1);
    expect(read.result.slice(0, 3)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(read.result.at(-1)).toBeUndefined();
    expect(read.stats).toMatchObject({ cacheHits: 100, cacheMisses: 1 });
  });

  it('loads only the misses, in one call, and answers in the order asked with null for the unknown', async () => {
    const keys = [1, 2, 3, 4].map((i) => cache.key('batch', i));
    await cache.set(keys[1] as string, 'two (cached)', { ttl: CacheTtl.SHORT });
    const load = vi.fn(
      async (missing: string[]) =>
        new Map(missing.filter((k) => !k.endsWith(':4')).map((k) => [k, `loaded ${k.at(-1)}`])),
    );
    const cold = await withRequestStats(() =>
      cache.getManyOrLoad(keys, load, { ttl: CacheTtl.SHORT, negativeTtl: 30 }),
    );
    expect(cold.result).toEqual(['loaded 1', 'two (cached)', 'loaded 3', null]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0]?.[0]).toEqual([keys[0], keys[2], keys[3]]);
    expect(cold.stats.redisRoundTrips).toBe(2);

    const warm = await withRequestStats(() =>
      cache.getManyOrLoad(keys, load, { ttl: CacheTtl.SHORT, negativeTtl: 30 }),
    );
    expect(warm.result).toEqual(cold.result);
    expect(load).toHaveBeenCalledTimes(1);
    expect(warm.stats).toMatchObject({ redisRoundTrips: 1, cacheHits: 4, cacheMisses: 0 });
  });

  it('makes the next read miss after del, and after a write-through returns the new value', async () => {
    const key = cache.key('rw', 1);
    await cache.set(key, 'old', { ttl: CacheTtl.SHORT });
    await cache.del(key);
    expect(await cache.get(key)).toBeUndefined();
    expect(await cache.getOrSet(key, async () => 'reloaded', { ttl: CacheTtl.SHORT })).toBe('reloaded');
    await cache.set(key, 'new', { ttl: CacheTtl.SHORT });
    expect(await cache.get(key)).toBe('new');
  });
});

describe('size guard', () => {
  it('answers with a value too big to cache without caching it, and warns once', async () => {
    const big = 'x'.repeat(5000);
    const loader = vi.fn(async () => big);
    const key = cache.key('big', 1);
    expect(await cache.getOrSet(key, loader, { ttl: 60 })).toBe(big);
    expect(await cache.getOrSet(key, loader, { ttl: 60 })).toBe(big);
    await cache.set(cache.key('big', 2), big, { ttl: 60 });
    expect(loader).toHaveBeenCalledTimes(2);
    expect(await cache.get(cache.key('big', 2))).toBeUndefined();
    const warnings = logLines.filter((line) => line.namespace === 'big');
    expect(warnings).toHaveLength(1);
    expect(cache.stats().big?.errors).toBe(3);
  });
});
