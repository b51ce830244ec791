import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, countRows } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserCache, type UserCacheHarness } from '../testing/start-user-cache.js';

let harness: UserCacheHarness;
let sdk: { client: UserCacheHarness['client'] };

beforeAll(async () => {
  harness = await startUserCache();
  sdk = { client: harness.client };
});
afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

describe('users', () => {
  it('returns users in the order asked, null for unknown ids, in one query', async () => {
    const caller = harness.service.createCaller();
    const created = await expectQueryBudget(
      () =>
        caller.createUsers({
          users: [
            { id: 1001n, name: 'Ada' },
            { id: 1002n, name: 'Brian', gender: 'male' },
          ],
        }),
      1,
    );
    expect(created.result).toEqual({ created: 2 });
    const { result, queries } = await expectQueryBudget(
      () => caller.getUsers({ ids: [1002n, 999n, 1001n] }),
      1,
    );
    expect(queries).toBe(1);
    expect(result.map((user) => user?.name ?? null)).toEqual(['Brian', null, 'Ada']);
  });

  it('leaves existing users alone when created again', async () => {
    const again = await sdk.client.createUsers.mutate({ users: [{ id: 1001n, name: 'Someone else' }] });
    expect(again).toEqual({ created: 0 });
    const [user] = await sdk.client.getUsers.query({ ids: [1001n] });
    expect(user?.name).toBe('Ada');
  });

  it('refuses bad input with BAD_REQUEST naming the field, and writes nothing', async () => {
    const before = await countRows(harness.database.url, 'users.users');
    const paths = await badRequestPaths(
      sdk.client.createUsers.mutate({
        users: [
          { id: 2001n, name: 'Fine' },
          { id: 2002n, name: '   ' },
        ],
      }),
    );
    expect(paths).toEqual(['users.1.name']);
    expect(await badRequestPaths(sdk.client.getUsers.query({ ids: [] }))).toEqual(['ids']);
    expect(await badRequestPaths(sdk.client.getUsers.query({ ids: [-5n] }))).toEqual(['ids.0']);
    expect(await countRows(harness.database.url, 'users.users')).toBe(before);
    expect(await sdk.client.getUsers.query({ ids: [2001n, 2002n] })).toEqual([null, null]);
  });
});
