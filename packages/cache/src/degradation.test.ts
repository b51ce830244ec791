import { Writable } from 'node:stream';
import { createLogger, withRequestStats } from '@mesh/telemetry';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';
import { type OwnRedis, startOwnRedis } from './testing/own-redis.js';

// A redis-server of this file's own: the shared one is never stopped or paused.
let redis: OwnRedis;
const logLines: Array<{ msg?: string }> = [];
const logger = createLogger({
  name: 'degradation-test',
  level: 'info',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(JSON.parse(String(chunk)));
      done();
    },
  }),
});
const outageWarnings = () => logLines.filter((line) => line.msg?.includes('Redis unavailable')).length;

beforeAll(async () => {
  redis = await startOwnRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const recovery = { timeout: 15_000, interval: 100 };

describe('graceful degradation', () => {
  it('answers from the loader while Redis is stopped, warns once, and comes back by itself', async () => {
    logLines.length = 0;
    await using cache = await createTestCache({
      service: 'degrade',
      logger,
      env: { REDIS_URL: redis.url, CACHE_BREAKER_COOLDOWN_MS: 200 },
    });
    let version = 0;
    const loader = vi.fn(async () => `answer ${++version}`);
    const key = cache.key('figure', 1);
    expect(await cache.getOrSet(key, loader, { ttl: 60 })).toBe('answer 1');

    await redis.stop();
    for (let i = 0; i < 10; i++) {
      expect(await cache.getOrSet(key, loader, { ttl: 60 })).toMatch(/^answer \d+$/);
    }
    expect(loader.mock.calls.length).toBeGreaterThan(1);
    expect(cache.available).toBe(false);
    // Once open, the breaker keeps calls off Redis entirely.
    const bypassed = await withRequestStats(() => cache.getOrSet(key, loader, { ttl: 60 }));
    expect(bypassed.stats.redisRoundTrips).toBe(0);

    await redis.start();
    await vi.waitFor(async () => {
      await cache.getOrSet(key, loader, { ttl: 60 });
      expect(cache.available).toBe(true);
    }, recovery);
    const settled = await cache.getOrSet(key, loader, { ttl: 60 });
    const callsBefore = loader.mock.calls.length;
    expect(await cache.getOrSet(key, loader, { ttl: 60 })).toBe(settled);
    expect(loader.mock.calls.length).toBe(callsBefore);
    expect(outageWarnings()).toBe(1);
  });

  it('treats a slow Redis as down (timeouts) and replays what it could not invalidate before using it again', async () => {
    logLines.length = 0;
    await using cache = await createTestCache({
      service: 'slow',
      logger,
      env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: 100, CACHE_BREAKER_COOLDOWN_MS: 200 },
    });
    const key = cache.key('figure', 'slow');
    await cache.set(key, 'before the outage', { ttl: 300 });

    const admin = new Redis(redis.url);
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
    admin.disconnect();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        cache.getOrSet(cache.key('other', i), async () => 'from the loader', { ttl: 60 }),
      ),
    );
    expect(answers).toEqual(Array(5).fill('from the loader'));
    expect(cache.available).toBe(false);

    // The breaker is open: this invalidation cannot reach Redis, so it is owed.
    await cache.del(key);
    await vi.waitFor(async () => {
      await cache.get(cache.key('other', 'probe'));
      expect(cache.available).toBe(true);
    }, recovery);
    expect(await cache.get(key)).toBeUndefined();
    expect(outageWarnings()).toBe(1);
  });
});
