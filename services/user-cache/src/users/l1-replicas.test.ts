import { withRequestStats } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

// Two replicas with the in-process L1 on: one database, one Redis, one key prefix.
let first: UserCacheHarness;
let second: UserCacheHarness;

beforeAll(async () => {
  first = await startUserCache({ env: { USER_CACHE_L1_ENTRIES: '1000' } });
  second = await startUserCache({
    database: first.database,
    env: { CACHE_KEY_PREFIX: `${first.database.name}:`, USER_CACHE_L1_ENTRIES: '1000' },
  });
  await first.caller.upsertUsers({
    users: [
      { id: 1n, name: 'Ada', wallets: [{ currency: 'USDT', balance: '10' }] },
      { id: 2n, name: 'Brian' },
    ],
  });
});
afterAll(async () => {
  await second?.[Symbol.asyncDispose]();
  await first?.[Symbol.asyncDispose]();
});

describe('getUsers with the L1 on', () => {
  it('answers a warm read from process memory: no Redis, no SQL, the same users and wallets', async () => {
    const ids = [1n, 2n, 404n];
    const cold = await second.caller.getUsers({ ids, include: { wallets: true } });
    // A read that an invalidation overtook (the upsert's bus message) is not kept in the L1,
    // so the L1 may fill one read later.
    const result = await vi.waitFor(async () => {
      const read = await withRequestStats(() => second.caller.getUsers({ ids, include: { wallets: true } }));
      expect(read.stats).toMatchObject({ redisRoundTrips: 0, dbQueries: 0 });
      return read.result;
    });
    expect(result).toEqual(cold);
    expect(result[0]).toMatchObject({ id: 1n, name: 'Ada', wallets: [{ currency: 'USDT', balance: '10' }] });
    expect(result[0]?.createdAt).toBeInstanceOf(Date);
    expect(result[2]).toBeNull();
  });

  it('hands every caller its own objects', async () => {
    const [mine] = await second.caller.getUsers({ ids: [2n] });
    if (mine) mine.name = 'changed by a caller';
    expect((await second.caller.getUsers({ ids: [2n] }))[0]?.name).toBe('Brian');
  });

  it('sees an update made on the same instance at once', async () => {
    await first.caller.getUsers({ ids: [2n] });
    await first.caller.updateUser({ id: 2n, status: 'vip' });
    expect((await first.caller.getUsers({ ids: [2n] }))[0]?.status).toBe('vip');
  });

  it("drops what another instance's write changed: users and wallets", async () => {
    await second.caller.getUsers({ ids: [1n], include: { wallets: true } });
    await first.caller.upsertUsers({
      users: [{ id: 1n, name: 'Ada Lovelace', wallets: [{ currency: 'USDT', balance: '11' }] }],
    });
    await vi.waitFor(async () =>
      expect((await second.caller.getUsers({ ids: [1n], include: { wallets: true } }))[0]).toMatchObject({
        name: 'Ada Lovelace',
        wallets: [{ currency: 'USDT', balance: '11' }],
      }),
    );
  });
});
