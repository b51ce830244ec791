import { randomUUID } from 'node:crypto';
import { checkpoint, type Logger, withRequestStats } from '@mesh/telemetry';
import pLimit from 'p-limit';
import type pg from 'pg';
import { errors } from '../errors.js';
import type { MessageSource } from '../sources/message-source.js';
import { type ClaimedChannel, claimChannels } from './claim-channels.js';
import { recordSyncRun } from './record-sync-run.js';
import { syncChannel } from './sync-channel.js';
import type { SyncInput } from './sync-input.js';
import type { SyncMetrics } from './sync-metrics.js';
import type { SyncProgress } from './sync-progress.js';
import { type ChannelOutcome, type SyncResult, summarize } from './sync-result.js';

export interface SyncMessagesDeps {
  pool: pg.Pool;
  source: MessageSource;
  progress: SyncProgress;
  metrics: SyncMetrics;
  log: Logger;
  chunkSize: number;
  fetchTimeoutMs: number;
}

export type SyncMessages = (input: SyncInput, context: { triggeredBy: string }) => Promise<SyncResult>;

const SKIP_REASON = 'Sync already in progress';

function skipped(channel: ClaimedChannel): ChannelOutcome {
  return {
    channelId: channel.id,
    username: channel.username,
    messagesSynced: 0,
    messagesSaved: 0,
    latestMessageId: channel.lastMessageId,
    skipped: true,
    reason: SKIP_REASON,
  };
}

function unknownIds(requested: readonly bigint[] | undefined, found: readonly ClaimedChannel[]): bigint[] {
  const known = new Set(found.map((channel) => channel.id));
  return [...new Set(requested ?? [])].filter((id) => !known.has(id));
}

/**
 * The sync engine. Budget: 1 round trip for every channel's last id and lock, 1 per channel
 * whose messages fit one chunk (k + 2 for k chunks), 1 to unlock, 1 to record the run.
 */
export function createSyncMessages(deps: SyncMessagesDeps): SyncMessages {
  const running = new Set<string>();

  async function run(input: SyncInput, runId: string) {
    const startedAt = new Date();
    const started = performance.now();
    const claim = await claimChannels(deps.pool, input.channels);
    let channels: ChannelOutcome[];
    try {
      const unknown = unknownIds(input.channels, claim.channels);
      if (unknown.length > 0) throw errors.create('INGEST_CHANNEL_UNKNOWN', { detail: unknown.join(', ') });
      for (const channel of claim.channels) {
        checkpoint('sync.lock', { channel_id: String(channel.id), acquired: channel.locked });
      }
      deps.progress.emit({
        runId,
        stage: 'run-started',
        limit: input.limit,
        channels: claim.channels.map((c) => ({ channelId: c.id, username: c.username, locked: c.locked })),
      });
      const limit = pLimit(input.concurrency);
      const emit = deps.progress.emit;
      channels = await Promise.all(
        claim.channels.map(async (channel) => {
          const outcome = channel.locked
            ? await limit(() => syncChannel(deps, { runId, channel, limit: input.limit, emit }))
            : skipped(channel);
          emit({ runId, stage: 'done', channelId: channel.id, outcome });
          return outcome;
        }),
      );
    } finally {
      await claim.release();
    }
    return { channels, startedAt, durationMs: performance.now() - started };
  }

  return async (input, context) => {
    const runId = input.runId ?? randomUUID();
    if (running.has(runId)) throw errors.create('INGEST_RUN_IN_PROGRESS', { detail: runId });
    running.add(runId);
    try {
      const { result: work, stats } = await withRequestStats(() => run(input, runId));
      const { totals, status } = summarize(work.channels);
      const result: SyncResult = {
        runId,
        source: deps.source.kind,
        status,
        channels: work.channels,
        totals,
        durationMs: Math.round(work.durationMs * 10) / 10,
        // The statement recording the run is one more round trip, counted here ahead of time.
        queryCount: stats.dbQueries + 1,
      };
      const triggeredBy = input.triggeredBy ?? context.triggeredBy;
      const recorded = await recordSyncRun(deps.pool, {
        result,
        triggeredBy,
        startedAt: work.startedAt,
        limit: input.limit,
        concurrency: input.concurrency,
      });
      if (!recorded) deps.log.warn({ runId }, 'sync run id was used before; the earlier record stays');
      deps.metrics.observe(result);
      deps.progress.emit({ runId, stage: 'run-done', status, totals, durationMs: result.durationMs });
      deps.log.info(
        { runId, triggeredBy, status, totals, durationMs: result.durationMs, queries: result.queryCount },
        'sync run finished',
      );
      return result;
    } finally {
      running.delete(runId);
    }
  };
}
