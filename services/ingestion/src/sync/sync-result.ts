/** Why a channel's sync did not save anything, as the answer and the run record say it. */
export interface ChannelError {
  /** A code of errors.ts: INGEST_SOURCE_FAILED, INGEST_SOURCE_TIMEOUT or INGEST_WRITE_FAILED. */
  code: string;
  message: string;
}

/** What one channel did in a sync run. */
export interface ChannelOutcome {
  channelId: bigint;
  username: string;
  /** Messages the source returned. */
  messagesSynced: number;
  /** Of those, the ones not stored before (the rest were duplicates). */
  messagesSaved: number;
  /** The newest message id stored for the channel after this run (null: none yet). */
  latestMessageId: bigint | null;
  /** Another sync (on any replica) held the channel's lock. */
  skipped?: true;
  reason?: string;
  error?: ChannelError;
}

export type SyncStatus = 'ok' | 'partial' | 'failed' | 'empty';

export interface SyncTotals {
  channels: number;
  synced: number;
  skipped: number;
  failed: number;
  messagesSynced: number;
  messagesSaved: number;
}

/** The answer of syncMessages, also what the sync_runs row records. */
export interface SyncResult {
  runId: string;
  source: 'mtproto' | 'simulated';
  status: SyncStatus;
  channels: ChannelOutcome[];
  totals: SyncTotals;
  durationMs: number;
  /** Database round trips of the whole run, the one recording it included. */
  queryCount: number;
}

/** Totals and status of a run's outcomes. */
export function summarize(channels: readonly ChannelOutcome[]): { totals: SyncTotals; status: SyncStatus } {
  const totals: SyncTotals = {
    channels: channels.length,
    synced: 0,
    skipped: 0,
    failed: 0,
    messagesSynced: 0,
    messagesSaved: 0,
  };
  for (const outcome of channels) {
    if (outcome.skipped) totals.skipped++;
    else if (outcome.error) totals.failed++;
    else totals.synced++;
    totals.messagesSynced += outcome.messagesSynced;
    totals.messagesSaved += outcome.messagesSaved;
  }
  const status: SyncStatus =
    totals.channels === 0
      ? 'empty'
      : totals.synced === totals.channels
        ? 'ok'
        : totals.synced === 0 && totals.skipped === 0
          ? 'failed'
          : 'partial';
  return { totals, status };
}
