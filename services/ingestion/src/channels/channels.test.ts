import { createServiceClient } from '@mesh/client';
import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, countRows, startTestService, type TestService } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { IngestionRouter } from '../router.js';
import { buildIngestionService } from '../server.js';

let harness: TestService<IngestionRouter>;
let sdk: ReturnType<typeof createServiceClient<IngestionRouter>>;

beforeAll(async () => {
  harness = await startTestService({ migrations: [migrations], readEnv, build: buildIngestionService });
  sdk = createServiceClient<IngestionRouter>({ url: harness.url, token: harness.token, retries: 0 });
});
afterAll(async () => {
  await sdk?.close();
  await harness?.[Symbol.asyncDispose]();
});

describe('channels', () => {
  it('registers channels in one query and skips ones already known', async () => {
    const caller = harness.service.createCaller();
    const first = await expectQueryBudget(
      () =>
        caller.registerChannels({
          channels: [
            { id: -1001n, username: 'mesh_news', title: 'Mesh news' },
            { id: -1002n, username: 'mesh_ops', title: 'Mesh ops' },
          ],
        }),
      1,
    );
    expect(first.result).toEqual({ registered: 2 });
    const again = await sdk.client.registerChannels.mutate({
      channels: [{ id: -1001n, username: 'mesh_news', title: 'Renamed' }],
    });
    expect(again).toEqual({ registered: 0 });
    const { result } = await expectQueryBudget(() => caller.listChannels({ limit: 10 }), 1);
    expect(result.map((channel) => channel.username).sort()).toEqual(['mesh_news', 'mesh_ops']);
    expect(result.find((channel) => channel.id === -1001n)?.title).toBe('Mesh news');
  });

  it('refuses bad input with BAD_REQUEST naming the field, and writes nothing', async () => {
    const before = await countRows(harness.database.url, 'ingestion.channels');
    const paths = await badRequestPaths(
      sdk.client.registerChannels.mutate({
        channels: [
          { id: -2001n, username: 'fine_name', title: 'Fine' },
          { id: -2002n, username: 'no spaces allowed', title: 'Bad' },
        ],
      }),
    );
    expect(paths).toEqual(['channels.1.username']);
    expect(await badRequestPaths(sdk.client.listChannels.query({ limit: 0 }))).toEqual(['limit']);
    expect(await countRows(harness.database.url, 'ingestion.channels')).toBe(before);
  });
});
