import { EventEmitter, on } from 'node:events';
import type { ChannelOutcome, SyncStatus, SyncTotals } from './sync-result.js';

/** What a running sync reports, per channel (started, fetched, saved, done) and per run. */
export type SyncProgressEvent =
  | {
      runId: string;
      stage: 'run-started';
      limit: number;
      channels: Array<{ channelId: bigint; username: string; locked: boolean }>;
    }
  | { runId: string; stage: 'started'; channelId: bigint }
  | { runId: string; stage: 'fetched'; channelId: bigint; fetched: number }
  /** After each chunk: `written` of `fetched` rows sent, `saved` of them new. */
  | { runId: string; stage: 'saved'; channelId: bigint; fetched: number; written: number; saved: number }
  | { runId: string; stage: 'done'; channelId: bigint; outcome: ChannelOutcome }
  | { runId: string; stage: 'run-done'; status: SyncStatus; totals: SyncTotals; durationMs: number };

export interface SyncProgress {
  emit(event: SyncProgressEvent): void;
  /** Events from now on (of one run, if `runId` is given) until `signal` aborts. */
  watch(options: { runId?: string; signal?: AbortSignal }): AsyncGenerator<SyncProgressEvent>;
}

/**
 * The in-process progress bus. A subscriber sees the syncs this replica runs; each gets its
 * own buffered iterator, so a slow websocket never stalls a sync.
 */
export function createSyncProgress(): SyncProgress {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit: (event) => emitter.emit('progress', event),
    async *watch({ runId, signal }) {
      try {
        for await (const [event] of on(emitter, 'progress', { signal })) {
          const progress = event as SyncProgressEvent;
          if (runId === undefined || progress.runId === runId) yield progress;
        }
      } catch (error) {
        if (!signal?.aborted) throw error;
      }
    },
  };
}
