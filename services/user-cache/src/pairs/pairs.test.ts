import { withRequestStats } from '@mesh/telemetry';
import { badRequestPaths, callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

let harness: UserCacheHarness;

beforeAll(async () => {
  harness = await startUserCache({ env: { USER_READ_RATE_LIMIT: '5', USER_READ_RATE_WINDOW_S: '60' } });
  await harness.caller.upsertUsers({
    users: [
      { id: 101n, name: 'Alice', gender: 'female' },
      { id: 102n, name: 'Bob', gender: 'male' },
      { id: 103n, name: 'Carol' },
    ],
  });
});
afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

describe('chat pairs', () => {
  it('pairs two chats in both directions at once, in Redis', async () => {
    expect(await harness.client.pair.mutate({ chatId: 101n, partnerId: 102n })).toEqual({ paired: true });
    expect(await harness.client.getPartner.query({ chatId: 101n })).toEqual({ partnerId: 102n });
    expect(await harness.client.getPartner.query({ chatId: 102n })).toEqual({ partnerId: 101n });
    expect(await harness.cache.redis?.get(harness.cache.key('pair', 101n))).toBe('102');
  });

  it('refuses to pair a chat that has a partner, and writes neither direction', async () => {
    expect(await callError(harness.client.pair.mutate({ chatId: 103n, partnerId: 102n }))).toEqual({
      code: 'CONFLICT',
      meshCode: 'CHAT_ALREADY_PAIRED',
    });
    expect(await harness.client.getPartner.query({ chatId: 103n })).toEqual({ partnerId: null });
    expect(await harness.client.getPartner.query({ chatId: 102n })).toEqual({ partnerId: 101n });
  });

  it('answers a chat, its partner and both users in one call: no SQL once the users are cached', async () => {
    await harness.caller.getUsers({ ids: [101n, 102n, 103n] });
    const { result, stats } = await withRequestStats(() =>
      harness.caller.getUsersWithPartners({ chatIds: [101n, 103n] }),
    );
    expect(result).toEqual([
      {
        chatId: 101n,
        user: expect.objectContaining({ name: 'Alice' }),
        partnerId: 102n,
        partner: expect.objectContaining({ name: 'Bob' }),
      },
      { chatId: 103n, user: expect.objectContaining({ name: 'Carol' }), partnerId: null, partner: null },
    ]);
    expect(stats).toMatchObject({ dbQueries: 0, redisRoundTrips: 3 });
  });

  it('unpairs both directions', async () => {
    expect(await harness.client.unpair.mutate({ chatId: 102n })).toEqual({ partnerId: 101n });
    expect(await harness.client.getPartner.query({ chatId: 101n })).toEqual({ partnerId: null });
    expect(await harness.client.unpair.mutate({ chatId: 102n })).toEqual({ partnerId: null });
    expect(await harness.client.pair.mutate({ chatId: 103n, partnerId: 102n })).toEqual({ paired: true });
  });

  it('pairs each chat once when many race for the same partner', async () => {
    const ids = [201n, 202n, 203n, 204n, 205n];
    const outcomes = await Promise.allSettled(
      ids.map((id) => harness.caller.pair({ chatId: id, partnerId: 200n })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const partner = (await harness.caller.getPartner({ chatId: 200n })).partnerId;
    expect(ids).toContain(partner);
    expect((await harness.caller.getPartner({ chatId: partner as bigint })).partnerId).toBe(200n);
  });

  it('refuses a chat paired with itself and bad ids with BAD_REQUEST', async () => {
    expect(await badRequestPaths(harness.client.pair.mutate({ chatId: 5n, partnerId: 5n }))).toEqual([
      'partnerId',
    ]);
    expect(await badRequestPaths(harness.client.getPartner.query({ chatId: -1n }))).toEqual(['chatId']);
    expect(await badRequestPaths(harness.client.getUsersWithPartners.query({ chatIds: [] }))).toEqual([
      'chatIds',
    ]);
  });

  it('limits partner lookups per chat', async () => {
    for (let i = 0; i < 5; i++) await harness.client.getPartner.query({ chatId: 300n });
    expect(await callError(harness.client.getPartner.query({ chatId: 300n }))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    expect(await harness.client.getPartner.query({ chatId: 301n })).toEqual({ partnerId: null });
  });
});
