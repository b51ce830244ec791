import { withRequestStats } from '@mesh/telemetry';
import { callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

let harness: UserCacheHarness;

beforeAll(async () => {
  harness = await startUserCache({ env: { USER_READ_RATE_LIMIT: '3', USER_READ_RATE_WINDOW_S: '60' } });
  await harness.caller.upsertUsers({
    users: Array.from({ length: 10 }, (_, i) => ({ id: BigInt(i + 1), name: `user ${i + 1}` })),
  });
});
afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

async function dbQueriesOf(procedure: string): Promise<number> {
  const text = await (await fetch(`${harness.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (row) => row.startsWith('mesh_procedure_db_queries_sum{') && row.includes(`procedure="${procedure}"`),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe('getUser', () => {
  it('batches the calls of one request into one lookup: one MGET, one SQL query for the misses', async () => {
    const caller = harness.service.createCaller();
    const { result, stats } = await withRequestStats(() =>
      Promise.all([1n, 2n, 3n, 99n, 2n].map((id) => caller.getUser({ id }))),
    );
    expect(result.map((user) => user?.name ?? null)).toEqual(['user 1', 'user 2', 'user 3', null, 'user 2']);
    // One rate-limit check, one read, one write-back: however many calls.
    expect(stats).toMatchObject({ dbQueries: 1, redisRoundTrips: 3 });
  });

  it('batches the calls that arrive in one batched HTTP request', async () => {
    const ids = [4n, 5n, 6n, 7n];
    // tRPC's batch wire format (superjson for the BigInt), by hand: whatever transport the SDK
    // picks, this is one request.
    const input = Object.fromEntries(
      ids.map((id, index) => [index, { json: { id: String(id) }, meta: { values: { id: ['bigint'] } } }]),
    );
    const url = `${harness.url}/trpc/${ids.map(() => 'getUser').join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
    const before = await dbQueriesOf('getUser');
    const response = await fetch(url, { headers: { authorization: `Bearer ${harness.token}` } });
    const body = (await response.json()) as Array<{ result: { data: { json: { name: string } } } }>;
    expect(body.map((call) => call.result.data.json.name)).toEqual(['user 4', 'user 5', 'user 6', 'user 7']);
    expect((await dbQueriesOf('getUser')) - before).toBe(1);
  });

  it('limits reads per user, backed by Redis, and counts users apart', async () => {
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await harness.client.getUser.query({ id: 8n }));
    expect(reads.map((user) => user?.name)).toEqual(['user 8', 'user 8', 'user 8']);
    expect(await callError(harness.client.getUser.query({ id: 8n }))).toEqual({
      code: 'TOO_MANY_REQUESTS',
      meshCode: 'USER_RATE_LIMITED',
    });
    expect(await harness.client.getUser.query({ id: 9n })).toMatchObject({ name: 'user 9' });
    // The counter lives in Redis: a second instance on the same prefix refuses too.
    await using other = await startUserCache({
      database: harness.database,
      env: {
        USER_READ_RATE_LIMIT: '3',
        USER_READ_RATE_WINDOW_S: '60',
        CACHE_KEY_PREFIX: `${harness.database.name}:`,
      },
    });
    expect(await callError(other.client.getUser.query({ id: 8n }))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
  });
});
