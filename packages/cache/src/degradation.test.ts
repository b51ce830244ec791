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

  it("answers nothing from the L1 it cannot validate while Redis is out; one key's last value only if its loader fails too", async () => {
    await using cache = await createTestCache({
      service: 'degrade-l1',
      logger,
      l1: { maxEntries: 10 },
      env: { REDIS_URL: redis.url, CACHE_BREAKER_COOLDOWN_MS: 200 },
    });
    const options = { ttl: 60, l1: true };
    const [batched, single] = [cache.key('member', 1), cache.key('config', 1)];
    const load = (value: string) => async (missing: string[]) => new Map(missing.map((key) => [key, value]));
    const failing = async (): Promise<never> => {
      throw new Error('the database is down too');
    };
    // Twice: the first read gives the key's bucket a version, the second fills the L1 under it.
    for (let i = 0; i < 2; i++) {
      await cache.getManyOrLoad([batched], load('cached'), options);
      await cache.getOrSet(single, async () => 'cached', options);
    }

    await redis.stop();
    expect(await cache.getManyOrLoad([batched], load('from the loader'), options)).toEqual([
      'from the loader',
    ]);
    expect(await cache.getOrSet(single, async () => 'from the loader', options)).toBe('from the loader');
    await expect(cache.getManyOrLoad([batched], failing, options)).rejects.toThrow(
      'the database is down too',
    );
    expect(await cache.getOrSet(single, failing, options)).toBe('cached');
    await redis.start();
  });
});
