import type { Redis } from '@mesh/cache';
import { withRequestStats } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

// Two replicas with the in-process L1 on (the default): one database, one Redis, one key prefix. The
// cache's invalidation bus delivers nothing here (every PUBLISH in this process is dropped,
// as Redis pub/sub drops messages for a subscriber that is reconnecting), so what one replica
// sees of the other's writes is decided by the L1's version check alone.
let first: UserCacheHarness;
let second: UserCacheHarness;

beforeAll(async () => {
  first = await startUserCache();
  second = await startUserCache({
    database: first.database,
    env: { CACHE_KEY_PREFIX: `${first.database.name}:` },
  });
  vi.spyOn(Object.getPrototypeOf(first.cache.redis) as Redis, 'publish').mockResolvedValue(0);
  await first.caller.upsertUsers({
    users: [
      { id: 1n, name: 'Ada', wallets: [{ currency: 'USDT', balance: '10' }] },
      { id: 2n, name: 'Brian' },
      { id: 3n, name: 'Cleo' },
    ],
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await second?.[Symbol.asyncDispose]();
  await first?.[Symbol.asyncDispose]();
});

/** Reads twice: the first read gives the keys' buckets versions, the second fills the L1 under them. */
async function warm(harness: UserCacheHarness, ids: bigint[], wallets = false) {
  await harness.caller.getUsers({ ids, include: { wallets } });
  await harness.caller.getUsers({ ids, include: { wallets } });
}

describe('getUsers with the L1 on (the default)', () => {
  it('answers a warm read from process memory after one MGET of versions: no SQL, the same users and wallets', async () => {
    const ids = [1n, 2n, 404n];
    const cold = await second.caller.getUsers({ ids, include: { wallets: true } });
    await second.caller.getUsers({ ids, include: { wallets: true } });
    // From memory, not from Redis's entries: with them removed around the cache (no
    // invalidation, no version moved) the answer is the same and there is still no SQL.
    const redis = second.cache.redis as Redis;
    await redis.del(...ids.flatMap((id) => [second.cache.key('user', id), second.cache.key('wallets', id)]));
    const { result, stats } = await withRequestStats(() =>
      second.caller.getUsers({ ids, include: { wallets: true } }),
    );
    expect(stats).toMatchObject({ redisRoundTrips: 1, dbQueries: 0, cacheHits: 6, cacheMisses: 0 });
    expect(result).toEqual(cold);
    expect(result[0]).toMatchObject({ id: 1n, name: 'Ada', wallets: [{ currency: 'USDT', balance: '10' }] });
    expect(result[0]?.createdAt).toBeInstanceOf(Date);
    expect(result[2]).toBeNull();
  });

  it('hands every caller its own objects', async () => {
    await warm(second, [2n]);
    const [mine] = await second.caller.getUsers({ ids: [2n] });
    if (mine) mine.name = 'changed by a caller';
    expect((await second.caller.getUsers({ ids: [2n] }))[0]?.name).toBe('Brian');
  });

  it('sees an update made on the same instance at once', async () => {
    await warm(first, [2n]);
    await first.caller.updateUser({ id: 2n, status: 'vip' });
    expect((await first.caller.getUsers({ ids: [2n] }))[0]?.status).toBe('vip');
  });

  it("answers another instance's write on the very next read, with no bus message: users and wallets", async () => {
    await warm(second, [1n, 3n], true);
    await first.caller.upsertUsers({
      users: [{ id: 1n, name: 'Ada Lovelace', wallets: [{ currency: 'USDT', balance: '11' }] }],
    });
    const { result } = await withRequestStats(() =>
      second.caller.getUsers({ ids: [1n, 3n], include: { wallets: true } }),
    );
    expect(result[0]).toMatchObject({ name: 'Ada Lovelace', wallets: [{ currency: 'USDT', balance: '11' }] });
    expect(result[1]).toMatchObject({ name: 'Cleo' });
  });

  it("answers another instance's update through getUser (its DataLoader) on the very next call", async () => {
    await second.caller.getUser({ id: 3n });
    await second.caller.getUser({ id: 3n });
    await first.caller.updateUser({ id: 3n, name: 'Cleo Renamed' });
    expect(await second.caller.getUser({ id: 3n })).toMatchObject({ name: 'Cleo Renamed' });
  });

  it('answers a user another instance created where it had remembered "no such user"', async () => {
    await warm(second, [77n]);
    expect((await second.caller.getUsers({ ids: [77n] }))[0]).toBeNull();
    await first.caller.createUsers({ users: [{ id: 77n, name: 'Newcomer' }] });
    expect((await second.caller.getUsers({ ids: [77n] }))[0]).toMatchObject({ id: 77n, name: 'Newcomer' });
  });
});
