import { MeshError } from '@mesh/kit';
import { checkpoint, type Logger } from '@mesh/telemetry';
import type pg from 'pg';
import { errors } from '../errors.js';
import type { MessageSource } from '../sources/message-source.js';
import type { ClaimedChannel } from './claim-channels.js';
import { fetchWithTimeout, sanitizeFetched } from './fetch-with-timeout.js';
import type { SyncProgressEvent } from './sync-progress.js';
import type { ChannelError, ChannelOutcome } from './sync-result.js';
import { writeMessages } from './write-messages.js';

export interface SyncChannelDeps {
  pool: pg.Pool;
  source: MessageSource;
  chunkSize: number;
  fetchTimeoutMs: number;
  log: Logger;
}

export interface SyncChannelOptions {
  runId: string;
  channel: ClaimedChannel;
  limit: number;
  emit(event: SyncProgressEvent): void;
}

function channelError(error: unknown, log: Logger, channelId: bigint): ChannelError {
  if (error instanceof MeshError) {
    log.warn(
      { err: error.cause ?? error, channelId: String(channelId), code: error.meshCode },
      'channel sync failed',
    );
    return { code: error.meshCode, message: error.message };
  }
  // A database failure's text may name internals: log it, answer with the registry's message.
  log.error({ err: error, channelId: String(channelId) }, 'channel sync failed');
  return { code: 'INGEST_WRITE_FAILED', message: errors.registry.INGEST_WRITE_FAILED.message };
}

/**
 * Fetches one locked channel's new posts and stores them; never throws: a failure becomes the
 * channel's `error`, so one channel cannot fail the others. Trace checkpoints: fetch, insert.
 */
export async function syncChannel(
  deps: SyncChannelDeps,
  options: SyncChannelOptions,
): Promise<ChannelOutcome> {
  const { runId, channel, limit, emit } = options;
  const channelId = channel.id;
  const minId = channel.lastMessageId ?? 0n;
  const base = { channelId, username: channel.username, messagesSynced: 0, messagesSaved: 0 };
  emit({ runId, stage: 'started', channelId });
  let fetched: Awaited<ReturnType<typeof fetchWithTimeout>>;
  try {
    const answer = await fetchWithTimeout(deps.source, channel, {
      limit,
      minId,
      timeoutMs: deps.fetchTimeoutMs,
    });
    fetched = sanitizeFetched(answer, minId, limit);
  } catch (error) {
    return {
      ...base,
      latestMessageId: channel.lastMessageId,
      error: channelError(error, deps.log, channelId),
    };
  }
  checkpoint('sync.fetch', { channel_id: String(channelId), fetched: fetched.length });
  emit({ runId, stage: 'fetched', channelId, fetched: fetched.length });
  try {
    const saved = await writeMessages({
      pool: deps.pool,
      channelId,
      source: deps.source.kind,
      messages: fetched,
      chunkSize: deps.chunkSize,
      onChunk: (written, savedSoFar) =>
        emit({ runId, stage: 'saved', channelId, fetched: fetched.length, written, saved: savedSoFar }),
    });
    checkpoint('sync.insert', { channel_id: String(channelId), saved });
    const newest = fetched.at(-1)?.id ?? null;
    return {
      ...base,
      messagesSynced: fetched.length,
      messagesSaved: saved,
      latestMessageId: newest ?? channel.lastMessageId,
    };
  } catch (error) {
    return {
      ...base,
      messagesSynced: fetched.length,
      latestMessageId: channel.lastMessageId,
      error: channelError(error, deps.log, channelId),
    };
  }
}
