import { withRequestStats } from '@mesh/telemetry';
import { callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

// Two instances of user-cache, as two replicas: one database, one Redis, one key prefix.
let first: UserCacheHarness;
let second: UserCacheHarness;

beforeAll(async () => {
  first = await startUserCache();
  second = await startUserCache({
    database: first.database,
    env: { CACHE_KEY_PREFIX: `${first.database.name}:` },
  });
  await first.caller.upsertUsers({
    users: [
      { id: 1n, name: 'Ada', wallets: [{ currency: 'USDT', balance: '10' }] },
      { id: 2n, name: 'Brian', wallets: [{ currency: 'USDT', balance: '20' }] },
      { id: 3n, name: 'Chen' },
    ],
  });
});
afterAll(async () => {
  await second?.[Symbol.asyncDispose]();
  await first?.[Symbol.asyncDispose]();
});

describe('writes', () => {
  it('makes an update visible to the next read, on every instance', async () => {
    expect((await second.caller.getUsers({ ids: [1n] }))[0]?.name).toBe('Ada');
    expect(await second.caller.getUser({ id: 1n })).toMatchObject({ name: 'Ada' });

    const { result, stats } = await withRequestStats(() =>
      first.caller.updateUser({ id: 1n, name: 'Ada Lovelace', status: 'vip' }),
    );
    expect(result).toMatchObject({ id: 1n, name: 'Ada Lovelace', status: 'vip' });
    expect(stats.dbQueries).toBe(1);

    expect((await second.caller.getUsers({ ids: [1n] }))[0]).toMatchObject({
      name: 'Ada Lovelace',
      status: 'vip',
    });
    expect(await second.client.getUser.query({ id: 1n })).toMatchObject({ name: 'Ada Lovelace' });
  });

  it('answers NOT_FOUND for an update of an unknown user', async () => {
    expect(await callError(first.client.updateUser.mutate({ id: 404n, name: 'Nobody' }))).toEqual({
      code: 'NOT_FOUND',
      meshCode: 'USER_NOT_FOUND',
    });
  });

  it('upserts users and wallets in one statement and invalidates exactly the keys it changed', async () => {
    const all = [1n, 2n, 3n];
    await first.caller.getUsers({ ids: all, include: { wallets: true } });

    const upsert = await withRequestStats(() =>
      second.caller.upsertUsers({
        users: [
          {
            id: 2n,
            name: 'Brian K',
            wallets: [
              { currency: 'USDT', balance: '25.125' },
              { currency: 'TON', balance: '1' },
            ],
          },
          { id: 4n, name: 'Dora', gender: 'female' },
        ],
      }),
    );
    expect(upsert.result).toEqual({ users: 2, wallets: 2 });
    expect(upsert.stats.dbQueries).toBe(1);

    const read = await withRequestStats(() =>
      first.caller.getUsers({ ids: [...all, 4n], include: { wallets: true } }),
    );
    // Users 1 and 3 (and their wallets) were untouched: still cached. 2 and 4 are read again, in one query.
    expect(read.stats).toMatchObject({ dbQueries: 1, cacheHits: 4, cacheMisses: 4 });
    expect(read.result.map((user) => user?.name)).toEqual(['Ada Lovelace', 'Brian K', 'Chen', 'Dora']);
    expect(read.result[1]?.wallets?.map((w) => `${w.currency} ${w.balance}`).sort()).toEqual([
      'TON 1',
      'USDT 25.125',
    ]);
    expect(read.result[3]).toMatchObject({ gender: 'female', status: 'active', wallets: [] });
  });

  it('keeps stored fields a later upsert leaves out', async () => {
    await first.caller.upsertUsers({ users: [{ id: 5n, name: 'Eve', gender: 'female', status: 'banned' }] });
    await first.caller.upsertUsers({ users: [{ id: 5n, name: 'Eve Two' }] });
    expect((await second.caller.getUsers({ ids: [5n] }))[0]).toMatchObject({
      name: 'Eve Two',
      gender: 'female',
      status: 'banned',
    });
  });
});
