import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';

let cache: Awaited<ReturnType<typeof createTestCache>>;

beforeAll(async () => {
  cache = await createTestCache({ service: 'swr' });
});
afterAll(async () => {
  await cache?.[Symbol.asyncDispose]();
});

/** A value cached 50 ms fresh with a minute of grace, then left to go stale. */
async function staleValue(key: string, value: string) {
  await cache.getOrSet(key, async () => value, { ttl: 0.05, grace: 60 });
  await sleep(80);
}

describe('stale-while-revalidate', () => {
  it('serves the last value while the loader fails', async () => {
    const key = cache.key('figure', 'failing');
    await staleValue(key, 'last good');
    const failing = vi.fn(async () => Promise.reject(new Error('database down')));
    expect(await cache.getOrSet(key, failing, { ttl: 0.05, grace: 60 })).toBe('last good');
    expect(cache.stats().figure?.stale).toBe(1);
  });

  it('serves the stale value at once and refreshes it in the background, once', async () => {
    const key = cache.key('figure', 'refreshing');
    await staleValue(key, 'old');
    const loader = vi.fn(async () => 'new');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => cache.getOrSet(key, loader, { ttl: 60 })),
    );
    expect(new Set(answers)).toEqual(new Set(['old']));
    await vi.waitFor(async () => expect(await cache.get(key)).toBe('new'));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('never serves a value past its grace', async () => {
    const key = cache.key('figure', 'expired');
    await cache.getOrSet(key, async () => 'gone soon', { ttl: 0.03, grace: 0.03 });
    await sleep(100);
    expect(await cache.getOrSet(key, async () => 'reloaded', { ttl: 60 })).toBe('reloaded');
  });
});
