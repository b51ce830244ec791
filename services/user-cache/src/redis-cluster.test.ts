import { type OwnRedisCluster, startOwnRedisCluster } from '@mesh/cache/testing';
import { withRequestStats } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserCache, type UserCacheHarness } from './testing/start-user-cache.js';

let cluster: OwnRedisCluster;
let harness: UserCacheHarness;

beforeAll(async () => {
  cluster = await startOwnRedisCluster();
  harness = await startUserCache({ env: { REDIS_CLUSTER_NODES: cluster.nodes.join(',') } });
}, 60_000);
afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
  await cluster?.stop();
});

describe('user-cache on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  it('serves users, wallets and pairs: one pipeline per namespace, no SQL when warm', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => BigInt(i + 1));
    await harness.caller.upsertUsers({
      users: ids.map((id) => ({ id, name: `user ${id}`, wallets: [{ currency: 'USDT', balance: '1' }] })),
    });
    await harness.caller.getUsers({ ids, include: { wallets: true } });
    const warm = await withRequestStats(() => harness.caller.getUsers({ ids, include: { wallets: true } }));
    expect(warm.result[49]).toMatchObject({ name: 'user 50', wallets: [{ currency: 'USDT', balance: '1' }] });
    // Two namespaces (users, wallets) live on their own slots: one pipeline each, in parallel.
    expect(warm.stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 2 });

    expect(await harness.caller.pair({ chatId: 1n, partnerId: 2n })).toEqual({ paired: true });
    const [both] = await harness.caller.getUsersWithPartners({ chatIds: [1n] });
    expect(both).toMatchObject({ partnerId: 2n, partner: { name: 'user 2' } });
    expect(await harness.caller.unpair({ chatId: 2n })).toEqual({ partnerId: 1n });
    expect(await harness.caller.getPartner({ chatId: 1n })).toEqual({ partnerId: null });
  });
});
