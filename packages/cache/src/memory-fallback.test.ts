import { describe, expect, it, vi } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';

describe('in-process fallback (REDIS_URL empty)', () => {
  it('works without Redis: read-through, batches, invalidation, limits', async () => {
    await using cache = await createTestCache({ service: 'alone', env: { REDIS_URL: null } });
    expect(cache.mode).toBe('memory');
    expect(cache.redis).toBeNull();
    expect(cache.ping).toBeNull();

    const loader = vi.fn(async () => ({ id: 1n, at: new Date(0) }));
    const key = cache.key('user', 1);
    await cache.getOrSet(key, loader, { ttl: 60 });
    expect(await cache.getOrSet(key, loader, { ttl: 60 })).toEqual({ id: 1n, at: new Date(0) });
    expect(loader).toHaveBeenCalledTimes(1);

    const keys = [cache.key('user', 2), cache.key('user', 3)];
    expect(
      await cache.getManyOrLoad(keys, async () => new Map([[keys[0] as string, 'two']]), {
        ttl: 60,
        negativeTtl: 10,
      }),
    ).toEqual(['two', null]);
    await cache.set(cache.key('feed', 'a', 1), 1, { ttl: 60, tags: ['t'] });
    await cache.set(cache.key('feed', 'b', 1), 2, { ttl: 60 });
    expect(await cache.invalidatePattern('feed', 'a:*')).toBe(1);
    expect(await cache.invalidateTag('t')).toBe(0);
    expect(await cache.invalidateNamespace('user')).toBe(3);
    expect(await cache.getMany([key, cache.key('feed', 'b', 1)])).toEqual([undefined, 2]);

    const limiter = cache.rateLimiter({ name: 'x', limit: 1, windowSeconds: 60 });
    expect((await limiter.hit(['a', 'a'])).map((d) => d.allowed)).toEqual([true, false]);
  });
});
