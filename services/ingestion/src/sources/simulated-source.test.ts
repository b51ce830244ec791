import { describe, expect, it } from 'vitest';
import { createSimulatedSource } from './simulated-source.js';

const channel = { id: -1001000000001n, username: 'chan_1' };

describe('simulated source', () => {
  it('returns the same posts every time: the oldest `limit` after minId, ascending, up to the channel head', async () => {
    const source = createSimulatedSource({ messagesPerChannel: 120 });
    const first = await source.getMessages(channel, { limit: 50, minId: 0n });
    const again = await createSimulatedSource({ messagesPerChannel: 120 }).getMessages(channel, {
      limit: 50,
      minId: 0n,
    });
    expect(first).toEqual(again);
    expect(first.map((message) => message.id)).toEqual(
      Array.from({ length: 50 }, (_, index) => BigInt(index + 1)),
    );
    const tail = await source.getMessages(channel, { limit: 50, minId: 100n });
    expect(tail.map((message) => message.id)).toEqual(
      Array.from({ length: 20 }, (_, index) => BigInt(index + 101)),
    );
    expect(await source.getMessages(channel, { limit: 50, minId: 120n })).toEqual([]);
  });

  it('fails the channels and calls it is told to', async () => {
    const source = createSimulatedSource({
      failChannels: [channel.id],
      shouldFail: (target, call) => target.username === 'flaky' && call === 1,
    });
    await expect(source.getMessages(channel, { limit: 1, minId: 0n })).rejects.toMatchObject({
      meshCode: 'INGEST_SOURCE_FAILED',
    });
    const flaky = { id: 5n, username: 'flaky' };
    await expect(source.getMessages(flaky, { limit: 1, minId: 0n })).rejects.toMatchObject({
      meshCode: 'INGEST_SOURCE_FAILED',
    });
    expect(await source.getMessages(flaky, { limit: 1, minId: 0n })).toHaveLength(1);
  });

  it('gives up its simulated wait when the caller aborts', async () => {
    const source = createSimulatedSource({ latencyMs: 60_000 });
    const controller = new AbortController();
    const fetching = source.getMessages(channel, { limit: 1, minId: 0n, signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(fetching).rejects.toThrow('gave up');
  });
});
