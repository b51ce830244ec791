import { randomUUID } from 'node:crypto';
import { createServiceClient } from '@mesh/client';
import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError, countRows, startTestService, type TestService } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { BotControlRouter } from '../router.js';
import { buildBotControlService } from '../server.js';

let harness: TestService<BotControlRouter>;
let sdk: ReturnType<typeof createServiceClient<BotControlRouter>>;

beforeAll(async () => {
  harness = await startTestService({ migrations: [migrations], readEnv, build: buildBotControlService });
  sdk = createServiceClient<BotControlRouter>({ url: harness.url, token: harness.token, retries: 0 });
});
afterAll(async () => {
  await sdk?.close();
  await harness?.[Symbol.asyncDispose]();
});

describe('bots', () => {
  it('registers a bot and reads it back, one query each', async () => {
    const caller = harness.service.createCaller();
    const { result: bot } = await expectQueryBudget(() => caller.registerBot({ name: 'escrow-bot' }), 1);
    expect(bot).toMatchObject({ name: 'escrow-bot', status: 'stopped' });
    const { result: found } = await expectQueryBudget(() => caller.getBot({ id: bot.id }), 1);
    expect(found).toEqual(bot);
  });

  it('answers a taken name with CONFLICT and an unknown id with NOT_FOUND', async () => {
    await sdk.client.registerBot.mutate({ name: 'trading-bot' });
    expect(await callError(sdk.client.registerBot.mutate({ name: 'trading-bot' }))).toEqual({
      code: 'CONFLICT',
      meshCode: 'BOTS_NAME_TAKEN',
    });
    expect(await callError(sdk.client.getBot.query({ id: randomUUID() }))).toEqual({
      code: 'NOT_FOUND',
      meshCode: 'BOTS_NOT_FOUND',
    });
  });

  it('refuses bad input with BAD_REQUEST naming the field, and writes nothing', async () => {
    const before = await countRows(harness.database.url, 'bots.bots');
    expect(await badRequestPaths(sdk.client.registerBot.mutate({ name: 'Bad Name!' }))).toEqual(['name']);
    expect(await badRequestPaths(sdk.client.getBot.query({ id: 'not-a-uuid' }))).toEqual(['id']);
    expect(await countRows(harness.database.url, 'bots.bots')).toBe(before);
  });
});
