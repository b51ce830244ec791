import { randomUUID } from 'node:crypto';
import { startTelemetry, type Telemetry } from '@mesh/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedSource } from '../sources/simulated-source.js';
import { type IngestionHarness, startIngestion, testChannels } from '../testing/start-ingestion.js';
import type { SyncProgressEvent } from './sync-progress.js';

const exporter = new InMemorySpanExporter();
const channels = testChannels(2);
let telemetry: Telemetry;
let ingestion: IngestionHarness;

beforeAll(async () => {
  telemetry = startTelemetry({
    serviceName: 'ingestion-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  ingestion = await startIngestion({
    source: createSimulatedSource({ messagesPerChannel: 300 }),
    env: { INGESTION_CHUNK_SIZE: '100' },
  });
  await ingestion.caller.registerChannels({ channels });
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
  await telemetry?.shutdown();
});

describe('sync progress', () => {
  it('streams started, fetched, saved per chunk and done for each channel of a run over the websocket', async () => {
    const runId = randomUUID();
    const events: SyncProgressEvent[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      const started = new Promise<void>((onStarted) => {
        const subscription = ingestion.sdk.client.onSyncProgress.subscribe(
          { runId },
          {
            onStarted: () => onStarted(),
            onData: (event) => {
              events.push(event);
              if (event.stage === 'run-done') {
                subscription.unsubscribe();
                resolve();
              }
            },
            onError: reject,
          },
        );
      });
      void started.then(() => ingestion.sdk.client.syncMessages.mutate({ runId, limit: 300 }), reject);
    });
    await finished;
    expect(events[0]).toMatchObject({ runId, stage: 'run-started', limit: 300 });
    for (const channel of channels) {
      const stages = events.filter((event) => 'channelId' in event && event.channelId === channel.id);
      expect(stages.map((event) => event.stage)).toEqual([
        'started',
        'fetched',
        'saved',
        'saved',
        'saved',
        'done',
      ]);
      expect(stages.filter((event) => event.stage === 'saved').map((event) => event.written)).toEqual([
        100, 200, 300,
      ]);
      expect(stages.at(-1)).toMatchObject({ outcome: { messagesSaved: 300 } });
    }
    expect(events.at(-1)).toMatchObject({ stage: 'run-done', status: 'ok', totals: { messagesSaved: 600 } });
    expect(events.every((event) => event.runId === runId)).toBe(true);
  });

  it('marks lock, fetch and insert of every channel on the procedure span', async () => {
    exporter.reset();
    await ingestion.caller.syncMessages({});
    await new Promise((resolve) => setImmediate(resolve));
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === 'ingestion.syncMessages');
    for (const channel of channels) {
      const names = span?.events
        .filter((event) => event.attributes?.channel_id === String(channel.id))
        .map((event) => event.name);
      expect(names).toEqual(['sync.lock', 'sync.fetch', 'sync.insert']);
    }
  });
});
