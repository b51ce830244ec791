import type pg from 'pg';
import type { ChannelOutcome, SyncResult } from './sync-result.js';

const INSERT_RUN_SQL = `
INSERT INTO sync_runs (id, triggered_by, source, status, started_at, finished_at, duration_ms, message_limit,
                       concurrency, channel_count, messages_synced, messages_saved, query_count, channels)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (id) DO NOTHING`;

/** An outcome as JSON: ids as strings, since JSON numbers cannot carry a 64-bit id exactly. */
export function outcomeJson(outcome: ChannelOutcome) {
  return {
    ...outcome,
    channelId: outcome.channelId.toString(),
    latestMessageId: outcome.latestMessageId?.toString() ?? null,
  };
}

export interface RecordSyncRunOptions {
  result: SyncResult;
  triggeredBy: string;
  startedAt: Date;
  limit: number;
  concurrency: number;
}

/** One round trip. A run id reused by a careless caller keeps its first record. */
export async function recordSyncRun(pool: pg.Pool, options: RecordSyncRunOptions): Promise<boolean> {
  const { result, triggeredBy, startedAt, limit, concurrency } = options;
  const { rowCount } = await pool.query(INSERT_RUN_SQL, [
    result.runId,
    triggeredBy,
    result.source,
    result.status,
    startedAt,
    new Date(startedAt.getTime() + result.durationMs),
    Math.round(result.durationMs),
    limit,
    concurrency,
    result.totals.channels,
    result.totals.messagesSynced,
    result.totals.messagesSaved,
    result.queryCount,
    JSON.stringify(result.channels.map(outcomeJson)),
  ]);
  return rowCount === 1;
}
