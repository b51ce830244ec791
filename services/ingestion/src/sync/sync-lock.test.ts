import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessageSource } from '../sources/message-source.js';
import { createSimulatedSource } from '../sources/simulated-source.js';
import {
  advisoryLocks,
  type IngestionHarness,
  messageCounts,
  startIngestion,
  testChannels,
} from '../testing/start-ingestion.js';

const [channel] = testChannels(1);
const simulated = createSimulatedSource({ messagesPerChannel: 500 });

/** A source whose first fetch waits until the test opens the gate, so the first sync holds its lock. */
function gatedSource() {
  let open!: () => void;
  let fetching!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started = new Promise<void>((resolve) => {
    fetching = resolve;
  });
  const source: MessageSource = {
    kind: 'simulated',
    async getMessages(target, options) {
      fetching();
      await gate;
      return simulated.getMessages(target, options);
    },
  };
  return { source, open, started };
}

const gated = gatedSource();
let replicaA: IngestionHarness;
let replicaB: IngestionHarness;

beforeAll(async () => {
  replicaA = await startIngestion({ source: gated.source });
  replicaB = await startIngestion({ source: simulated, database: replicaA.database });
  if (channel) await replicaA.caller.registerChannels({ channels: [channel] });
});
afterAll(async () => {
  await replicaB?.[Symbol.asyncDispose]();
  await replicaA?.[Symbol.asyncDispose]();
});

it('skips a channel whose lock another replica holds, and saves each message once', async () => {
  if (!channel) throw new Error('no channel');
  const first = replicaA.sdk.client.syncMessages.mutate({ channels: [channel.id] });
  await gated.started;
  const second = await replicaB.sdk.client.syncMessages.mutate({ channels: [channel.id] });
  expect(second.channels).toEqual([
    expect.objectContaining({
      channelId: channel.id,
      skipped: true,
      reason: 'Sync already in progress',
      messagesSaved: 0,
    }),
  ]);
  expect(second.status).toBe('partial');
  gated.open();
  const firstResult = await first;
  expect(firstResult.channels[0]).toMatchObject({ messagesSynced: 500, messagesSaved: 500 });
  expect(firstResult.channels[0]?.skipped).toBeUndefined();
  expect(await messageCounts(replicaA)).toEqual({ [String(channel.id)]: 500 });
  expect(await advisoryLocks(replicaA)).toBe(0);

  // Lock released: the other replica now gets the channel (nothing new to fetch).
  const third = await replicaB.sdk.client.syncMessages.mutate({ channels: [channel.id] });
  expect(third.channels[0]).toMatchObject({ messagesSynced: 0, messagesSaved: 0, latestMessageId: 500n });
  expect(third.channels[0]?.skipped).toBeUndefined();
});
