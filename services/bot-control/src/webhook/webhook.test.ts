import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import {
  type FakeTelegram,
  startFakeTelegram,
  startTestService,
  type TestService,
  testEnv,
  unlinkPrefix,
} from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv as readUserCacheEnv } from '@mesh/user-cache/env';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrations } from '../migrations.js';
import { type BotControlHarness, startBotControl } from '../testing/start-bot-control.js';
import { WEBHOOK_PATH } from './webhook-route.js';

const BOT_TOKEN = `123456:${randomUUID()}`;
const SECRET = randomUUID();
const USER_ID = 4242n;

let database: TestDatabase;
let userCache: TestService<UserCacheRouter>;
let telegram: FakeTelegram;
let bots: BotControlHarness;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [migrations, userCacheMigrations] });
  userCache = await startTestService({
    migrations: [userCacheMigrations],
    readEnv: readUserCacheEnv,
    build: buildUserCacheService,
    database,
  });
  telegram = await startFakeTelegram(BOT_TOKEN);
  bots = await startBotControl({
    database,
    env: {
      USER_CACHE_URL: userCache.url,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    },
  });
  await userCache.service.createCaller().upsertUsers({
    users: [{ id: USER_ID, name: 'Alice', wallets: [{ currency: 'USDT', balance: '12.5' }] }],
  });
  await bots.sql(
    `INSERT INTO escrows (id, buyer_id, seller_id, status, amount, currency, created_at)
     VALUES (gen_random_uuid(), $1, 7, 'funded', 100, 'USDT', now() - interval '1 hour'), (gen_random_uuid(), 8, $1, 'pending', 3, 'TON', now()),
            (gen_random_uuid(), $1, 9, 'released', 1, 'USDT', now())`,
    [USER_ID],
  );
});
afterAll(async () => {
  await bots?.[Symbol.asyncDispose]();
  await userCache?.[Symbol.asyncDispose]();
  await telegram?.[Symbol.asyncDispose]();
  await unlinkPrefix(`${database.name}:`);
  await database?.drop();
});

function pressButton(update: unknown, secret: string | null = SECRET) {
  return bots.service.app.inject({
    method: 'POST',
    url: WEBHOOK_PATH,
    headers: secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
    payload: update as Record<string, unknown>,
  });
}

function callbackUpdate(updateId: number, data: string) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: { id: Number(USER_ID), is_bot: false, first_name: 'Alice' },
      chat_instance: '1',
      data,
      message: { message_id: 10, date: 0, chat: { id: Number(USER_ID), type: 'private' } },
    },
  };
}

async function getUsersCalls(): Promise<number> {
  const text = await userCache.service.metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line.startsWith('mesh_procedure_calls_total{') && line.includes('procedure="getUsers"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function waitForMessage(chatText: RegExp) {
  await vi.waitFor(
    () =>
      expect(
        telegram.calls.some((c) => c.method === 'sendMessage' && chatText.test(String(c.body.text))),
      ).toBe(true),
    { timeout: 10_000, interval: 20 },
  );
}

describe('telegram webhook', () => {
  it('answers the button before the first SQL statement of its handling, then does the work as a job', async () => {
    const order: string[] = [];
    telegram.onCall = (call) => order.push(`telegram:${call.method}`);
    // Every SQL statement this process sends (bot-control's and user-cache's) passes here.
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      order.push('sql');
      // biome-ignore lint/suspicious/noExplicitAny: forwarding pg's overloads untouched
      return (original as any).apply(this, args);
    } as typeof original;
    try {
      const response = await pressButton(callbackUpdate(1, 'escrows'));
      expect(response.statusCode).toBe(200);
      expect(order).toEqual(['telegram:answerCallbackQuery']);
      await waitForMessage(/open deals/);
    } finally {
      pg.Client.prototype.query = original;
      telegram.onCall = undefined;
    }
    expect(order[0]).toBe('telegram:answerCallbackQuery');
    expect(order).toContain('sql');
    expect(order.at(-1)).toBe('telegram:sendMessage');
    expect(telegram.calls.find((c) => c.method === 'answerCallbackQuery')?.body).toEqual({
      callback_query_id: 'cbq-1',
    });
    const sent = telegram.calls.find((c) => c.method === 'sendMessage');
    expect(sent?.body.chat_id).toBe(String(USER_ID));
    expect(String(sent?.body.text).split('\n')).toEqual([
      'Alice, your open deals:',
      'selling 3 TON (pending)',
      'buying 100 USDT (funded)',
    ]);
  });

  it('loads the user with wallets in one getUsers call per update and shows the wallets without another', async () => {
    const before = await getUsersCalls();
    const response = await pressButton(callbackUpdate(2, 'wallets'));
    expect(response.statusCode).toBe(200);
    await waitForMessage(/your balances/);
    expect(await getUsersCalls()).toBe(before + 1);
    const sent = telegram.calls.filter((c) => c.method === 'sendMessage').at(-1);
    expect(sent?.body.text).toBe('Alice, your balances:\nUSDT: 12.5');
    const stats = await bots.sdk.client.jobStats.query();
    expect(stats.find((entry) => entry.type === 'telegram.callback')).toMatchObject({
      completed: 2,
      failed: 0,
    });
    const metrics = await bots.service.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(
      /bot_control_jobs_total\{type="telegram.callback",outcome="completed",service="bot-control"\} 2/,
    );
  });

  it('refuses a wrong or missing secret with 401 and bad updates with 400 naming the field, queueing nothing', async () => {
    const connection = new Redis(testEnv.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('bot-control', {
      connection,
      prefix: `${database.name}:bot-control:jobs`,
    });
    try {
      const jobsBefore = await queue.getJobCountByTypes(
        'waiting',
        'active',
        'completed',
        'failed',
        'delayed',
        'prioritized',
      );
      const callsBefore = telegram.calls.length;
      expect((await pressButton(callbackUpdate(3, 'escrows'), 'not-the-secret')).statusCode).toBe(401);
      expect((await pressButton(callbackUpdate(4, 'escrows'), null)).statusCode).toBe(401);
      const bad = await pressButton({ update_id: 'five', callback_query: { id: '', from: { id: 1 } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((issue: { path: string }) => issue.path)).toEqual([
        'update_id',
        'callback_query.id',
      ]);
      expect(telegram.calls.length).toBe(callsBefore);
      expect(
        await queue.getJobCountByTypes('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'),
      ).toBe(jobsBefore);
      expect(JSON.stringify((await pressButton(callbackUpdate(5, 'x'), 'wrong')).json())).not.toContain(
        SECRET,
      );
    } finally {
      await queue.close();
      await connection.quit();
    }
  });
});
