import { type Api, sessions, TelegramClient, utils } from 'telegram';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { errors } from '../errors.js';
import { mapGramjsMessage } from './map-gramjs-message.js';
import type { GetMessagesOptions, MessageSource, SourceChannel, SourceMessage } from './message-source.js';

/** The part of GramJS' TelegramClient the source uses (a test passes its own). */
export interface GramjsClient {
  connect(): Promise<unknown>;
  getInputEntity(entity: string): Promise<Api.TypeInputPeer>;
  getMessages(
    entity: Api.TypeInputPeer,
    params: { limit: number; minId: number; reverse: boolean },
  ): Promise<Api.TypeMessage[]>;
  destroy(): Promise<unknown>;
}

export interface TelegramCredentials {
  apiId: number;
  apiHash: string;
  /** A GramJS StringSession, as `client.session.save()` printed it after logging in. */
  session: string;
}

/** A GramJS client for the stored session; it connects on first use. */
export function createGramjsClient({ apiId, apiHash, session }: TelegramCredentials): GramjsClient {
  const client = new TelegramClient(new sessions.StringSession(session), apiId, apiHash, {
    connectionRetries: 3,
  });
  client.setLogLevel(LogLevel.ERROR);
  return client as unknown as GramjsClient;
}

/** Bot API ids (-100...) and MTProto ids (positive) of one channel compare equal. */
function sameChannel(markedId: string, channelId: bigint): boolean {
  const marked = BigInt(markedId);
  return (
    marked === channelId ||
    marked === -(1_000_000_000_000n + channelId) ||
    -marked - 1_000_000_000_000n === channelId
  );
}

/**
 * Channel posts over MTProto. A channel is resolved by username once per process (its access
 * hash is what MTProto needs) and checked against the registered id; posts come oldest first
 * after `minId` (`reverse: true`), the order a gap-free catch-up needs.
 */
export function createTelegramSource(client: GramjsClient): MessageSource {
  const peers = new Map<bigint, Promise<Api.TypeInputPeer>>();
  let connected: Promise<unknown> | undefined;

  async function resolve(channel: SourceChannel): Promise<Api.TypeInputPeer> {
    let peer = peers.get(channel.id);
    if (!peer) {
      peer = client.getInputEntity(channel.username).then((resolved) => {
        const resolvedId = utils.getPeerId(resolved);
        if (!sameChannel(resolvedId, channel.id)) {
          throw errors.create('INGEST_SOURCE_FAILED', {
            detail: `@${channel.username} is channel ${resolvedId}, not ${channel.id}`,
          });
        }
        return resolved;
      });
      peers.set(channel.id, peer);
      peer.catch(() => peers.delete(channel.id));
    }
    return peer;
  }

  return {
    kind: 'mtproto',
    async getMessages(
      channel: SourceChannel,
      { limit, minId }: GetMessagesOptions,
    ): Promise<SourceMessage[]> {
      connected ??= client.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      const peer = await resolve(channel);
      const messages = await client.getMessages(peer, { limit, minId: Number(minId), reverse: true });
      return messages.map(mapGramjsMessage).filter((message) => message !== undefined);
    },
    async close() {
      if (connected !== undefined) await client.destroy();
    },
  };
}
