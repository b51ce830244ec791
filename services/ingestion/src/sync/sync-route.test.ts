import { countRows } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedSource } from '../sources/simulated-source.js';
import { type IngestionHarness, startIngestion, testChannels } from '../testing/start-ingestion.js';
import { SYNC_ROUTE } from './sync-route.js';

const API_KEY = 'f7b22c498bd7527a7d114481015326736f0a94a58ec7c4e6e7157d6d2b36bd85';
const channels = testChannels(2);
let ingestion: IngestionHarness;

beforeAll(async () => {
  ingestion = await startIngestion({
    source: createSimulatedSource({ messagesPerChannel: 300 }),
    env: { TELEGRAM_GATEWAY_API_KEY: API_KEY },
  });
  await ingestion.caller.registerChannels({ channels });
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
});

function post(body: unknown, key: string | null = API_KEY) {
  return ingestion.service.app.inject({
    method: 'POST',
    url: SYNC_ROUTE,
    headers: key === null ? {} : { 'x-api-key': key },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

describe('POST /api/telegram-gateway/sync-messages', () => {
  it("answers the old gateway's body in the old gateway's shape, ids as strings", async () => {
    const response = await post({ channels: [String(channels[0]?.id)], limit: 200, concurrency: 2 });
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({
      success: true,
      data: {
        totalMessagesSynced: 200,
        totalMessagesSaved: 200,
        channelsSynced: [
          {
            channelId: String(channels[0]?.id),
            messagesSynced: 200,
            messagesSaved: 200,
            latestMessageId: '200',
          },
        ],
        status: 'ok',
      },
    });
    const [run] = await ingestion.sql<{ triggered_by: string }>(
      'SELECT triggered_by FROM ingestion.sync_runs',
    );
    expect(run?.triggered_by).toBe('http');
  });

  it('syncs every active channel for an empty POST, as the cron callers send it', async () => {
    const response = await post(undefined);
    expect(response.statusCode).toBe(200);
    expect(response.json().data.channelsSynced).toHaveLength(2);
  });

  it('refuses a wrong or missing API key with 401, and bad bodies with 400 naming the field, writing nothing', async () => {
    const messages = await countRows(ingestion.database.url, 'ingestion.messages');
    const runs = await countRows(ingestion.database.url, 'ingestion.sync_runs');
    expect((await post({}, 'wrong-key')).statusCode).toBe(401);
    expect((await post({}, `${API_KEY}x`)).statusCode).toBe(401);
    expect((await post({}, null)).statusCode).toBe(401);
    for (const [body, path] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 100_000 }, 'limit'],
      [{ concurrency: 0 }, 'concurrency'],
      [{ channels: ['not-an-id'] }, 'channels.0'],
    ] as const) {
      const response = await post(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().issues.map((issue: { path: string }) => issue.path)).toEqual([path]);
    }
    const unknown = await post({ channels: ['-1009999999999'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('INGEST_CHANNEL_UNKNOWN');
    expect(await countRows(ingestion.database.url, 'ingestion.messages')).toBe(messages);
    expect(await countRows(ingestion.database.url, 'ingestion.sync_runs')).toBe(runs);
  });

  it('answers 503 when no API key is configured', async () => {
    await using keyless = await startIngestion({ database: ingestion.database });
    const response = await keyless.service.app.inject({
      method: 'POST',
      url: SYNC_ROUTE,
      headers: { 'x-api-key': API_KEY },
    });
    expect(response.statusCode).toBe(503);
  });
});
