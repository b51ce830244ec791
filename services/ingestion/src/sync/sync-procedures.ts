import { procedure } from '@mesh/kit';
import { z } from 'zod';
import type { MessageSource } from '../sources/message-source.js';
import { syncInput } from './sync-input.js';
import type { SyncMessages } from './sync-messages.js';
import type { SyncProgress } from './sync-progress.js';

export interface SyncProceduresDeps {
  syncMessages: SyncMessages;
  progress: SyncProgress;
  source: MessageSource;
}

/** Channel sync: run it, watch it, and say which source it reads. */
export function createSyncProcedures({ syncMessages, progress, source }: SyncProceduresDeps) {
  return {
    /**
     * Syncs the named channels (all active ones by default) from the source. Budget for n channels
     * whose messages fit one chunk each: n + 3 round trips.
     */
    syncMessages: procedure
      .input(syncInput)
      .mutation(({ input }) => syncMessages(input, { triggeredBy: 'rpc' })),
    /** Progress of the syncs this replica runs (of one run, given its id): started, fetched, saved, done. */
    onSyncProgress: procedure
      .input(z.object({ runId: z.uuid().optional() }))
      .subscription(({ input, signal }) => progress.watch({ runId: input.runId, signal })),
    /** Which source syncs read: `simulated` or `mtproto`. No query. */
    getSyncSource: procedure.query(() => ({ kind: source.kind })),
  };
}
