import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cache } from './create-cache.js';
import { createTestCache } from './testing/create-test-cache.js';

let cache: Cache & AsyncDisposable;

beforeAll(async () => {
  cache = await createTestCache({ service: 'inv' });
});
afterAll(async () => {
  await cache?.[Symbol.asyncDispose]();
});

async function fill(namespace: string, count: number, tags?: string[]) {
  const entries = Array.from({ length: count }, (_, i) => ({
    key: cache.key(namespace, i),
    value: i,
    ttl: 300,
    tags,
  }));
  for (let start = 0; start < entries.length; start += 500)
    await cache.setMany(entries.slice(start, start + 500));
  return entries.map((entry) => entry.key);
}

async function present(keys: string[]) {
  return (await cache.getMany(keys)).filter((value) => value !== undefined).length;
}

describe('invalidation', () => {
  it('removes a whole namespace with SCAN and UNLINK in batches, never KEYS, and nothing else', async () => {
    const keysSpy = vi.spyOn(cache.redis as NonNullable<Cache['redis']>, 'keys');
    const doomed = await fill('feed', 2500);
    const kept = await fill('feed-other', 10);
    expect(await cache.invalidateNamespace('feed')).toBe(2500);
    expect(await present(doomed)).toBe(0);
    expect(await present(kept)).toBe(10);
    expect(keysSpy).not.toHaveBeenCalled();
  });

  it('removes the keys of a tag across namespaces', async () => {
    const tagged = [...(await fill('dash', 3, ['trades'])), ...(await fill('revenue', 2, ['trades']))];
    const untagged = await fill('growth', 2);
    expect(await cache.invalidateTag('trades')).toBe(5);
    expect(await present(tagged)).toBe(0);
    expect(await present(untagged)).toBe(2);
  });

  it('removes the keys of a namespace that match a pattern', async () => {
    await cache.setMany([
      { key: cache.key('acct', 'list', 1, 'active'), value: 1, ttl: 300 },
      { key: cache.key('acct', 'list', 2, 'active'), value: 2, ttl: 300 },
      { key: cache.key('acct', 'one', 1), value: 3, ttl: 300 },
    ]);
    expect(await cache.invalidatePattern('acct', 'list:*')).toBe(2);
    expect(
      await cache.getMany([cache.key('acct', 'list', 1, 'active'), cache.key('acct', 'one', 1)]),
    ).toEqual([undefined, 3]);
  });

  it('does not let a load that read before an invalidation put its stale answer back', async () => {
    const key = cache.key('race', 1);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = cache.getOrSet(
      key,
      async () => {
        await gate;
        return 'read before the write';
      },
      { ttl: 300, tags: ['race'] },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.invalidateTag('race');
    release();
    expect(await slow).toBe('read before the write');
    expect(await cache.getOrSet(key, async () => 'fresh', { ttl: 300 })).toBe('fresh');
  });

  it('does not let a batch load that read before a del put its stale answer back', async () => {
    const key = cache.key('race-many', 1);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = cache.getManyOrLoad(
      [key],
      async () => {
        await gate;
        return new Map([[key, 'stale']]);
      },
      { ttl: 300 },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.del(key);
    release();
    expect(await slow).toEqual(['stale']);
    expect(await cache.get(key)).toBeUndefined();
  });
});
