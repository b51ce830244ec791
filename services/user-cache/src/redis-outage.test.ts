import { startOwnRedis } from '@mesh/cache/testing';
import { withRequestStats } from '@mesh/telemetry';
import { callError } from '@mesh/testing';
import { describe, expect, it, vi } from 'vitest';
import { startUserCache } from './testing/start-user-cache.js';

describe('user-cache when Redis goes away', () => {
  it('keeps answering correctly from Postgres while Redis is stopped, and caches again once it is back', async () => {
    // A redis-server of this test's own, really stopped and started; the shared one is never touched.
    await using redis = await startOwnRedis();
    await using harness = await startUserCache({
      env: { REDIS_URL: redis.url, CACHE_BREAKER_COOLDOWN_MS: '200' },
    });
    const ids = [1n, 2n, 3n];
    await harness.caller.upsertUsers({ users: ids.map((id) => ({ id, name: `user ${id}` })) });
    await harness.caller.getUsers({ ids });
    expect((await withRequestStats(() => harness.caller.getUsers({ ids }))).stats.dbQueries).toBe(0);

    await redis.stop();
    for (let i = 0; i < 5; i++) {
      const users = await harness.client.getUsers.query({ ids: [...ids, 404n] });
      expect(users.map((user) => user?.name ?? null)).toEqual(['user 1', 'user 2', 'user 3', null]);
    }
    // Writes still work and are never served stale afterwards.
    await harness.client.updateUser.mutate({ id: 2n, name: 'renamed while Redis was down' });
    expect((await harness.client.getUsers.query({ ids: [2n] }))[0]?.name).toBe(
      'renamed while Redis was down',
    );
    expect(await harness.client.getUser.query({ id: 3n })).toMatchObject({ name: 'user 3' });
    // Pairs are state, not cache: they say they are unavailable rather than guess.
    expect(await callError(harness.client.getPartner.query({ chatId: 1n }))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      meshCode: 'PAIRS_UNAVAILABLE',
    });
    const ready = await fetch(`${harness.url}/readyz`);
    expect(await ready.json()).toMatchObject({ checks: { redis: 'down' } });

    await redis.start();
    await vi.waitFor(
      async () => {
        await harness.caller.getUsers({ ids });
        const warm = await withRequestStats(() => harness.caller.getUsers({ ids }));
        expect(warm.stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 1 });
      },
      { timeout: 15_000, interval: 100 },
    );
    expect((await harness.client.getUsers.query({ ids: [2n] }))[0]?.name).toBe(
      'renamed while Redis was down',
    );
    expect(await harness.client.getPartner.query({ chatId: 1n })).toEqual({ partnerId: null });
  });

  it('runs on the in-process fallback when REDIS_URL is empty', async () => {
    await using harness = await startUserCache({ env: { REDIS_URL: '' } });
    await harness.caller.upsertUsers({
      users: [
        { id: 1n, name: 'Solo' },
        { id: 2n, name: 'Duo' },
      ],
    });
    await harness.caller.getUsers({ ids: [1n] });
    const warm = await withRequestStats(() => harness.caller.getUsers({ ids: [1n] }));
    expect(warm).toMatchObject({ result: [{ name: 'Solo' }], stats: { dbQueries: 0, redisRoundTrips: 0 } });
    expect(await harness.caller.pair({ chatId: 1n, partnerId: 2n })).toEqual({ paired: true });
    expect(await harness.caller.getPartner({ chatId: 2n })).toEqual({ partnerId: 1n });
    const ready = await fetch(`${harness.url}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'disabled' } });
  });
});
