import { errors } from '../errors.js';
import type {
  GetMessagesOptions,
  MediaType,
  MessageSource,
  SourceChannel,
  SourceMessage,
} from './message-source.js';

export interface SimulatedSourceOptions {
  /** Posts each channel has, ids 1..n. */
  messagesPerChannel?: number;
  /** Milliseconds every getMessages call waits before answering, as a Telegram round trip would. */
  latencyMs?: number;
  /** Channels whose fetch fails every time. */
  failChannels?: Iterable<bigint>;
  /** Decides per call whether it fails (failure injection beyond a fixed set); `call` counts from 1. */
  shouldFail?: (channel: SourceChannel, call: number) => boolean;
}

/** 2026-01-01T00:00:00Z: post n of every channel is dated n minutes after it. */
const EPOCH_SECONDS = 1_767_225_600;
const MEDIA: Array<MediaType | null> = [
  null,
  null,
  null,
  'photo',
  null,
  'video',
  null,
  'document',
  null,
  'webpage',
];
const WORDS = [
  'market',
  'update',
  'signal',
  'bitcoin',
  'release',
  'weekly',
  'report',
  'alert',
  'launch',
  'notes',
];

/** A small deterministic hash of (channel, message): the same post has the same content every time. */
function mix(channelId: bigint, messageId: bigint): number {
  let h = Number(BigInt.asUintN(32, channelId * 2_654_435_761n + messageId * 40_503n)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Post `id` of `channel`, always the same. */
export function simulatedMessage(channel: SourceChannel, id: bigint): SourceMessage {
  const h = mix(channel.id, id);
  const words = [0, 1, 2].map((shift) => WORDS[(h >>> (shift * 4)) % WORDS.length]).join(' ');
  return {
    id,
    text: `#${id} @${channel.username}: ${words}`,
    date: new Date((EPOCH_SECONDS + Number(id) * 60) * 1000),
    messageType: 'channel_post',
    mediaType: MEDIA[h % MEDIA.length] ?? null,
    metadata: {
      isForwarded: h % 17 === 0,
      views: h % 5000,
      ...(h % 11 === 0 && id > 1n ? { replyTo: Number(id - 1n) } : {}),
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * A Telegram stand-in for tests, benchmarks and `npm start`: every channel has posts 1..n with
 * deterministic content; each call can wait `latencyMs`, and chosen channels or calls fail.
 */
export function createSimulatedSource(options: SimulatedSourceOptions = {}): MessageSource {
  const { messagesPerChannel = 10_000, latencyMs = 0, shouldFail = () => false } = options;
  const failing = new Set(options.failChannels ?? []);
  const calls = new Map<bigint, number>();
  return {
    kind: 'simulated',
    async getMessages(channel: SourceChannel, { limit, minId, signal }: GetMessagesOptions) {
      const call = (calls.get(channel.id) ?? 0) + 1;
      calls.set(channel.id, call);
      await sleep(latencyMs, signal);
      if (failing.has(channel.id) || shouldFail(channel, call)) {
        throw errors.create('INGEST_SOURCE_FAILED', {
          detail: `simulated failure for channel ${channel.id}`,
        });
      }
      const first = minId + 1n;
      const last = BigInt(Math.min(messagesPerChannel, Number(minId) + limit));
      const messages: SourceMessage[] = [];
      for (let id = first; id <= last; id++) messages.push(simulatedMessage(channel, id));
      return messages;
    },
  };
}
