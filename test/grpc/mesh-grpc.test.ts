import { buildAnalyticsService } from '@mesh/analytics';
import { readEnv as readAnalyticsEnv } from '@mesh/analytics/env';
import { migrations as analyticsMigrations } from '@mesh/analytics/migrations';
import { buildBotControlService } from '@mesh/bot-control';
import { readEnv as readBotControlEnv } from '@mesh/bot-control/env';
import { migrations as botControlMigrations } from '@mesh/bot-control/migrations';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { grpcUrlOf } from '@mesh/grpc';
import { buildIngestionService } from '@mesh/ingestion';
import { readEnv as readIngestionEnv } from '@mesh/ingestion/env';
import { migrations as ingestionMigrations } from '@mesh/ingestion/migrations';
import { startTestService, TEST_TOKEN } from '@mesh/testing';
import type { AnyRouter } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufCurl } from './support/buf-curl.js';
import { fieldViolations, type GrpcJsClient, grpc, grpcJsClient } from './support/grpc-js-client.js';

let database: TestDatabase;
const stops: Array<() => Promise<void>> = [];
const urls: Record<string, string> = {};
const clients: GrpcJsClient[] = [];

function client(service: string, grpcService: string, token: string | undefined = TEST_TOKEN) {
  const made = grpcJsClient(urls[service] as string, grpcService, token);
  clients.push(made);
  return made;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: grpc.ServiceError) => error,
  );

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [ingestionMigrations, analyticsMigrations, botControlMigrations],
  });
  const start = async <TEnv>(
    name: string,
    readEnv: (source: Record<string, string | undefined>) => TEnv,
    build: (env: TEnv) => Promise<import('@mesh/kit').MeshService<AnyRouter>>,
    env: Record<string, string> = {},
  ) => {
    const harness = await startTestService({ migrations: [], database, readEnv, build, env });
    stops.unshift(async () => {
      await harness[Symbol.asyncDispose]();
    });
    urls[name] = grpcUrlOf(harness.service);
  };
  await start('ingestion', readIngestionEnv, buildIngestionService, { INGESTION_SOURCE: 'simulated' });
  // No user-cache: analytics answers without names when its peer is away.
  await start('analytics', readAnalyticsEnv, buildAnalyticsService, { USER_CACHE_URL: 'http://127.0.0.1:9' });
  await start('bot-control', readBotControlEnv, buildBotControlService);
});

afterAll(async () => {
  for (const made of clients) made.close();
  for (const stop of stops) await stop();
  await database?.drop();
});

describe('bot-control over gRPC', () => {
  const SERVICE = 'mesh.bot_control.v1.BotControlService';

  it('streams a bot its commands, and resumes after the last event id it saw', async () => {
    const bots = client('bot-control', SERVICE);
    const { bot } = (await bots.unary('RegisterBot', { name: 'escrow-bot-grpc' })) as { bot: { id: string } };
    const started = await bots.unary('StartBot', {
      botId: bot.id,
      payload: { fields: { chat: { stringValue: '42' } } },
    });
    const stopped = await bots.unary('StopBot', { botId: bot.id });

    const all = await bots.stream('OnCommand', { botId: bot.id }, 2);
    expect(all.map((event) => [event.eventId, event.command])).toEqual([
      [started.eventId, 'COMMAND_NAME_START'],
      [stopped.eventId, 'COMMAND_NAME_STOP'],
    ]);
    expect(all[0]).toMatchObject({ botId: bot.id, status: 'COMMAND_STATUS_PENDING' });
    expect(all[0]?.payload).toEqual({ fields: { chat: { stringValue: '42', kind: 'stringValue' } } });

    const resumed = await bots.stream('OnCommand', { botId: bot.id, lastEventId: started.eventId }, 1);
    expect(resumed.map((event) => event.eventId)).toEqual([stopped.eventId]);
  });

  it('refuses a bad bot id field by field and a wrong token', async () => {
    const error = await failure(client('bot-control', SERVICE).unary('StartBot', { botId: 'not-a-uuid' }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolations(error).map((violation) => violation.field)).toEqual(['bot_id']);

    const stranger = await failure(
      client('bot-control', SERVICE, 'wrong').stream('OnCommand', { botId: crypto.randomUUID() }, 1),
    );
    expect(stranger.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('ingestion over gRPC', () => {
  const SERVICE = 'mesh.ingestion.v1.IngestionService';

  it('registers and lists channels, and streams a sync run it is watching', async () => {
    const ingestion = client('ingestion', SERVICE);
    await expect(
      ingestion.unary('RegisterChannels', {
        channels: [{ id: '-1001001', username: 'grpcnews', title: 'gRPC news' }],
      }),
    ).resolves.toEqual({ registered: 1 });
    const listed = (await ingestion.unary('ListChannels', {})) as {
      channels: Array<Record<string, unknown>>;
    };
    expect(listed.channels).toEqual([
      expect.objectContaining({ id: '-1001001', username: 'grpcnews', active: true }),
    ]);

    const runId = crypto.randomUUID();
    const events = ingestion.stream('OnSyncProgress', { runId }, 1);
    // The subscription is live once its call is open; give the stream a moment to attach.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const synced = (await ingestion.unary('SyncMessages', { channels: ['-1001001'], runId, limit: 5 })) as {
      durationMs: number;
    };
    // duration_ms is a double: the procedure answers tenths of a millisecond.
    expect(synced).toMatchObject({
      runId,
      source: 'SOURCE_KIND_SIMULATED',
      status: 'SYNC_STATUS_OK',
      channels: [expect.objectContaining({ channelId: '-1001001' })],
      totals: expect.objectContaining({ channels: 1, synced: 1 }),
    });
    expect(synced.durationMs).toBeGreaterThan(0);
    const [first] = await events;
    expect(first).toMatchObject({ runId, stage: 'SYNC_STAGE_RUN_STARTED' });
  });

  it('refuses a channel id of 0 with the field named', async () => {
    const error = await failure(client('ingestion', SERVICE).unary('ListMessages', { channelId: '0' }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolations(error).map((violation) => violation.field)).toEqual(['channel_id']);
  });
});

describe('analytics over gRPC', () => {
  const SERVICE = 'mesh.analytics.v1.AnalyticsService';

  it('records trades and streams the dashboard figures', async () => {
    const analytics = client('analytics', SERVICE);
    await expect(
      analytics.unary('RecordTrades', {
        trades: [{ userId: '501', asset: 'TON', side: 'TRADE_SIDE_BUY', quantity: '2', price: '5.5' }],
      }),
    ).resolves.toEqual({ recorded: 1 });
    const [now] = await analytics.stream('OnDashboard', {}, 1);
    expect(now?.metrics).toMatchObject({ trades: 1, openTrades: 1 });
  });

  it('refuses a range whose end is before its start', async () => {
    const error = await failure(
      client('analytics', SERVICE).unary('Revenue', {
        from: { seconds: '1700000000' },
        to: { seconds: '1600000000' },
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolations(error).length).toBeGreaterThan(0);
  });
});

describe('buf curl, through reflection', () => {
  it.each([
    ['ingestion', 'mesh.ingestion.v1.IngestionService', 'GetSyncSource', { kind: 'SOURCE_KIND_SIMULATED' }],
    ['analytics', 'mesh.analytics.v1.AnalyticsService', 'CacheStats', {}],
    ['bot-control', 'mesh.bot_control.v1.BotControlService', 'JobStats', {}],
  ])('reaches %s over gRPC, gRPC-Web and Connect', async (name, service, method, expected) => {
    const url = urls[name] as string;
    const listed = await bufCurl(['--list-services', url]);
    expect(listed.stdout.split('\n')).toContain(service);
    for (const protocol of ['grpc', 'grpcweb', 'connect']) {
      const answer = await bufCurl([
        '--protocol',
        protocol,
        '-H',
        `authorization: Bearer ${TEST_TOKEN}`,
        '-d',
        '{}',
        `${url}/${service}/${method}`,
      ]);
      expect(answer.code, answer.stderr).toBe(0);
      expect(JSON.parse(answer.stdout)).toMatchObject(expected);
    }
  });
});
