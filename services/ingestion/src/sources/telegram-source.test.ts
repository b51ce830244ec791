import { Api, helpers } from 'telegram';
import { describe, expect, it } from 'vitest';
import { createTelegramSource, type GramjsClient } from './telegram-source.js';

const channel = { id: -1001234567890n, username: 'mesh_news' };

/** Stands in for TelegramClient: answers with real GramJS objects and records the calls. */
function fakeClient(resolvedChannelId = '1234567890') {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const client: GramjsClient = {
    async connect() {
      calls.push({ method: 'connect', args: [] });
      return true;
    },
    async getInputEntity(username) {
      calls.push({ method: 'getInputEntity', args: [username] });
      return new Api.InputPeerChannel({
        channelId: helpers.returnBigInt(resolvedChannelId),
        accessHash: helpers.returnBigInt(9),
      });
    },
    async getMessages(entity, params) {
      calls.push({ method: 'getMessages', args: [entity, params] });
      const peerId = new Api.PeerChannel({ channelId: helpers.returnBigInt(resolvedChannelId) });
      return [
        new Api.Message({ id: 11, peerId, date: 1_767_225_600, message: 'eleven' }),
        new Api.MessageEmpty({ id: 12 }),
        new Api.Message({ id: 13, peerId, date: 1_767_225_660, message: 'thirteen' }),
      ];
    },
    async destroy() {
      calls.push({ method: 'destroy', args: [] });
    },
  };
  return { client, calls };
}

describe('telegram source', () => {
  it('connects once, resolves a channel once, and asks for the oldest posts after minId', async () => {
    const { client, calls } = fakeClient();
    const source = createTelegramSource(client);
    const first = await source.getMessages(channel, { limit: 500, minId: 10n });
    await source.getMessages(channel, { limit: 500, minId: 13n });
    expect(first.map((message) => [message.id, message.text])).toEqual([
      [11n, 'eleven'],
      [13n, 'thirteen'],
    ]);
    expect(calls.map((call) => call.method)).toEqual([
      'connect',
      'getInputEntity',
      'getMessages',
      'getMessages',
    ]);
    expect(calls[2]?.args[1]).toEqual({ limit: 500, minId: 10, reverse: true });
    await source.close?.();
    expect(calls.at(-1)?.method).toBe('destroy');
  });

  it('refuses a username that resolves to another channel', async () => {
    const source = createTelegramSource(fakeClient('999').client);
    await expect(source.getMessages(channel, { limit: 10, minId: 0n })).rejects.toMatchObject({
      meshCode: 'INGEST_SOURCE_FAILED',
    });
  });
});
