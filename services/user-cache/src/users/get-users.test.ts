import { withRequestStats } from '@mesh/telemetry';
import { badRequestPaths, countRows } from '@mesh/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

let harness: UserCacheHarness;
const hundred = Array.from({ length: 100 }, (_, i) => BigInt(10_000 + i));

beforeAll(async () => {
  harness = await startUserCache();
  await harness.caller.upsertUsers({
    users: hundred.map((id) => ({
      id,
      name: `user ${id}`,
      wallets: id % 2n === 0n ? [{ currency: 'USDT', balance: `${id}.5` }] : [],
    })),
  });
});
afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

async function sql(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: harness.database.url });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe('getUsers', () => {
  it('costs at most one SQL query cold and one Redis round trip (no SQL) warm, for 100 ids', async () => {
    const cold = await withRequestStats(() => harness.caller.getUsers({ ids: hundred }));
    expect(cold.result).toHaveLength(100);
    expect(cold.result.every((user, i) => user?.id === hundred[i])).toBe(true);
    expect(cold.stats).toMatchObject({ dbQueries: 1, redisRoundTrips: 2, cacheMisses: 100 });

    const warm = await withRequestStats(() => harness.caller.getUsers({ ids: hundred }));
    expect(warm.result).toEqual(cold.result);
    expect(warm.stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 1, cacheHits: 100, cacheMisses: 0 });
  });

  it('loads wallets in the same single query when asked, and serves them warm from one MGET', async () => {
    const ids = hundred.slice(0, 10);
    const cold = await withRequestStats(() => harness.caller.getUsers({ ids, include: { wallets: true } }));
    expect(cold.stats.dbQueries).toBe(1);
    expect(cold.result[0]?.wallets).toEqual([
      { currency: 'USDT', balance: '10000.5', updatedAt: expect.any(Date) },
    ]);
    expect(cold.result[1]?.wallets).toEqual([]);
    const warm = await withRequestStats(() => harness.caller.getUsers({ ids, include: { wallets: true } }));
    expect(warm.result).toEqual(cold.result);
    expect(warm.stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 1 });
  });

  it('puts cache hits and misses per namespace on /metrics', async () => {
    const text = await (await fetch(`${harness.url}/metrics`)).text();
    const count = (result: string) =>
      Number(
        text
          .split('\n')
          .find(
            (line) =>
              line.startsWith('mesh_cache_lookups_total{') &&
              line.includes('namespace="user"') &&
              line.includes(`result="${result}"`),
          )
          ?.split(' ')
          .at(-1),
      );
    expect(count('hit')).toBeGreaterThanOrEqual(100);
    expect(count('miss')).toBeGreaterThanOrEqual(100);
    expect(text).toMatch(/mesh_cache_redis_available\{[^}]*cache="user-cache"[^}]*\} 1/);
  });

  it('answers in the order asked, duplicates included, with null for unknown ids', async () => {
    const users = await harness.client.getUsers.query({ ids: [10_003n, 1n, 10_001n, 10_003n] });
    expect(users.map((user) => user?.name ?? null)).toEqual(['user 10003', null, 'user 10001', 'user 10003']);
    expect(users[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('answers repeated and unknown ids with their wallets in the order asked, cold in one query and warm in one round trip', async () => {
    await harness.caller.upsertUsers({
      users: [
        { id: 500n, name: 'Five hundred', wallets: [{ currency: 'TON', balance: '5' }] },
        { id: 501n, name: 'Five hundred one' },
      ],
    });
    const ids = [500n, 501n, 500n, 999_999n, 501n];
    const cold = await withRequestStats(() => harness.caller.getUsers({ ids, include: { wallets: true } }));
    expect(cold.stats.dbQueries).toBe(1);
    expect(cold.result.map((user) => user && [user.name, user.wallets?.map((w) => w.currency)])).toEqual([
      ['Five hundred', ['TON']],
      ['Five hundred one', []],
      ['Five hundred', ['TON']],
      null,
      ['Five hundred one', []],
    ]);
    const warm = await withRequestStats(() => harness.caller.getUsers({ ids, include: { wallets: true } }));
    expect(warm.result).toEqual(cold.result);
    expect(warm.stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 1 });
  });

  it('remembers an unknown id briefly, and forgets it the moment the user is created through the service', async () => {
    expect(await harness.caller.getUsers({ ids: [77n] })).toEqual([null]);
    // Created behind the service's back: the negative entry stands until its short TTL.
    await sql(`INSERT INTO users.users (id, name) VALUES (77, 'sneaky')`);
    const negative = await withRequestStats(() => harness.caller.getUsers({ ids: [77n] }));
    expect(negative).toMatchObject({ result: [null], stats: { dbQueries: 0 } });

    expect(await harness.caller.getUsers({ ids: [78n] })).toEqual([null]);
    await harness.caller.createUsers({ users: [{ id: 78n, name: 'Created' }] });
    expect((await harness.caller.getUsers({ ids: [78n] }))[0]?.name).toBe('Created');
  });

  it('refuses ids that are not integers, too many ids, and ids that are not positive or beyond 64 bits with BAD_REQUEST naming each one', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => BigInt(i + 1));
    expect(await badRequestPaths(harness.client.getUsers.query({ ids: [1.5 as unknown as bigint] }))).toEqual(
      ['ids.0'],
    );
    expect(
      await badRequestPaths(harness.client.getUsers.query({ ids: ['12' as unknown as bigint] })),
    ).toEqual(['ids.0']);
    expect(await badRequestPaths(harness.client.getUsers.query({ ids: tooMany }))).toEqual(['ids']);
    expect(await badRequestPaths(harness.client.getUsers.query({ ids: [-5n] }))).toEqual(['ids.0']);
    expect(await badRequestPaths(harness.client.getUsers.query({ ids: [1n, 0n, 2n ** 63n] }))).toEqual([
      'ids.1',
      'ids.2',
    ]);
    expect(
      await badRequestPaths(harness.client.getUsers.query({ ids: [1n, -2.5 as unknown as bigint] })),
    ).toEqual(['ids.1']);
    expect(await badRequestPaths(harness.client.getUser.query({ id: 0n }))).toEqual(['id']);
    const wallet = { currency: 'USDT', balance: 'lots' };
    expect(
      await badRequestPaths(
        harness.client.upsertUsers.mutate({ users: [{ id: 90n, name: 'Fine', wallets: [wallet] }] }),
      ),
    ).toEqual(['users.0.wallets.0.balance']);
    const twice = [
      { id: 91n, name: 'Twice' },
      { id: 91n, name: 'Twice again' },
    ];
    expect(await badRequestPaths(harness.client.upsertUsers.mutate({ users: twice }))).toEqual(['users']);
  });

  it('touches neither Redis nor Postgres for bad input', async () => {
    const before = await countRows(harness.database.url, 'users.users');
    const walletsBefore = await countRows(harness.database.url, 'users.wallets');
    const bad = [
      () => harness.caller.getUsers({ ids: [1.5 as unknown as bigint] }),
      () => harness.caller.getUsers({ ids: Array.from({ length: 1001 }, (_, i) => BigInt(i + 1)) }),
      () => harness.caller.getUsers({ ids: [-5n] }),
      () => harness.caller.getUser({ id: -1n }),
      () => harness.caller.upsertUsers({ users: [{ id: 92n, name: '   ' }] }),
      () => harness.caller.updateUser({ id: 10_000n }),
    ];
    const { stats } = await withRequestStats(async () => {
      for (const call of bad) await expect(call()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });
    expect(stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 0 });
    expect(await countRows(harness.database.url, 'users.users')).toBe(before);
    expect(await countRows(harness.database.url, 'users.wallets')).toBe(walletsBefore);
  });
});
