import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedSource } from '../sources/simulated-source.js';
import {
  advisoryLocks,
  type IngestionHarness,
  messageCounts,
  startIngestion,
  testChannels,
} from '../testing/start-ingestion.js';

const channels = testChannels(5);
const failing = testChannels(1, 90)[0] as (typeof channels)[number];
let ingestion: IngestionHarness;

beforeAll(async () => {
  const source = createSimulatedSource({ messagesPerChannel: 500, failChannels: [failing.id] });
  ingestion = await startIngestion({ source, env: { INGESTION_CHUNK_SIZE: '100' } });
  await ingestion.caller.registerChannels({ channels });
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
});

describe('syncMessages', () => {
  it('syncs 5 channels x 500 posts in 8 round trips and records the run', async () => {
    // 500 rows each fit one chunk at the default chunk size; this file's service uses 100, so a
    // second service on the same database stands in for the default configuration.
    await using replica = await startIngestion({
      source: createSimulatedSource({ messagesPerChannel: 500 }),
      database: ingestion.database,
    });
    const { result, queries } = await expectQueryBudget(
      () => replica.caller.syncMessages({ channels: channels.map((channel) => channel.id) }),
      8,
    );
    expect(queries).toBe(8);
    expect(result.queryCount).toBe(queries);
    expect(result.status).toBe('ok');
    expect(result.totals).toEqual({
      channels: 5,
      synced: 5,
      skipped: 0,
      failed: 0,
      messagesSynced: 2500,
      messagesSaved: 2500,
    });
    for (const outcome of result.channels) {
      expect(outcome).toMatchObject({ messagesSynced: 500, messagesSaved: 500, latestMessageId: 500n });
      expect(outcome.skipped).toBeUndefined();
    }
    const counts = await messageCounts(ingestion);
    for (const channel of channels) expect(counts[String(channel.id)]).toBe(500);

    const [run] = await ingestion.sql<{
      triggered_by: string;
      query_count: number;
      messages_saved: number;
      channels: unknown[];
    }>('SELECT triggered_by, query_count, messages_saved, channels FROM ingestion.sync_runs WHERE id = $1', [
      result.runId,
    ]);
    expect(run).toMatchObject({ triggered_by: 'rpc', query_count: 8, messages_saved: 2500 });
    expect(run?.channels).toHaveLength(5);
    expect(await advisoryLocks(ingestion)).toBe(0);
  });

  it('saves nothing twice: a second run fetches from the last stored id and saves 0', async () => {
    const before = await messageCounts(ingestion);
    const { result, queries } = await expectQueryBudget(
      () => ingestion.caller.syncMessages({ channels: channels.map((channel) => channel.id) }),
      8,
    );
    // Nothing new to fetch, so no insert: lock + unlock + record.
    expect(queries).toBe(3);
    expect(result.totals.messagesSaved).toBe(0);
    for (const outcome of result.channels) expect(outcome.latestMessageId).toBe(500n);
    expect(await messageCounts(ingestion)).toEqual(before);
  });

  it('reports a failing source on its channel only, which keeps no partial chunk', async () => {
    await ingestion.caller.registerChannels({ channels: [failing] });
    const fresh = testChannels(2, 20);
    await ingestion.caller.registerChannels({ channels: fresh });
    const result = await ingestion.caller.syncMessages({ channels: [failing.id, ...fresh.map((c) => c.id)] });
    expect(result.status).toBe('partial');
    const failed = result.channels.find((outcome) => outcome.channelId === failing.id);
    expect(failed?.error?.code).toBe('INGEST_SOURCE_FAILED');
    expect(failed?.messagesSaved).toBe(0);
    const counts = await messageCounts(ingestion);
    expect(counts[String(failing.id)]).toBeUndefined();
    for (const channel of fresh) expect(counts[String(channel.id)]).toBe(500);
  });

  it('refuses unknown channels, a limit of 0 or 100,000 and a concurrency of 0, writing nothing', async () => {
    const before = await messageCounts(ingestion);
    const [runsBefore] = await ingestion.sql<{ count: string }>('SELECT count(*) FROM ingestion.sync_runs');
    const unknown = await callError(
      ingestion.sdk.client.syncMessages.mutate({ channels: [channels[0]?.id ?? 0n, -1009999999999n] }),
    );
    expect(unknown).toEqual({ code: 'NOT_FOUND', meshCode: 'INGEST_CHANNEL_UNKNOWN' });
    expect(await badRequestPaths(ingestion.sdk.client.syncMessages.mutate({ limit: 0 }))).toEqual(['limit']);
    expect(await badRequestPaths(ingestion.sdk.client.syncMessages.mutate({ limit: 100_000 }))).toEqual([
      'limit',
    ]);
    expect(await badRequestPaths(ingestion.sdk.client.syncMessages.mutate({ concurrency: 0 }))).toEqual([
      'concurrency',
    ]);
    expect(await badRequestPaths(ingestion.sdk.client.syncMessages.mutate({ channels: [] }))).toEqual([
      'channels',
    ]);
    expect(await messageCounts(ingestion)).toEqual(before);
    const [runsAfter] = await ingestion.sql<{ count: string }>('SELECT count(*) FROM ingestion.sync_runs');
    expect(runsAfter?.count).toBe(runsBefore?.count);
    expect(await advisoryLocks(ingestion)).toBe(0);
  });

  it('exposes the sync metrics on /metrics', async () => {
    const response = await fetch(`${ingestion.harness.url}/metrics`);
    const text = await response.text();
    expect(text).toMatch(/telegram_gateway_sync_duration_seconds_count\{[^}]*status="partial"[^}]*\} 1\n/);
    expect(text).toMatch(/telegram_gateway_messages_saved_total\{[^}]*\} 1000\n/);
    expect(text).toMatch(/telegram_gateway_channel_syncs_total\{[^}]*outcome="failed"[^}]*\} 1\n/);
    expect(text).toContain('telegram_gateway_sync_queries_bucket');
  });
});
