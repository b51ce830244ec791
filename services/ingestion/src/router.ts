import { router } from '@mesh/kit';
import type pg from 'pg';
import { createChannelsProcedures } from './channels/channels-procedures.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createMessagesProcedures } from './messages/messages-procedures.js';
import type { SessionStore } from './sessions/session-store.js';
import { createSessionsProcedures } from './sessions/sessions-procedures.js';
import type { MessageSource } from './sources/message-source.js';
import type { SyncMessages } from './sync/sync-messages.js';
import { createSyncProcedures } from './sync/sync-procedures.js';
import type { SyncProgress } from './sync/sync-progress.js';

export interface IngestionDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  source: MessageSource;
  syncMessages: SyncMessages;
  progress: SyncProgress;
  /** Absent when no TELEGRAM_SESSION_ENCRYPTION_KEY is configured. */
  sessions: SessionStore | undefined;
}

/** The whole tRPC surface of ingestion. */
export function createIngestionRouter(deps: IngestionDeps) {
  return router({
    ...createChannelsProcedures(deps),
    ...createMessagesProcedures(deps),
    ...createSyncProcedures(deps),
    ...createSessionsProcedures(deps),
  });
}

export type IngestionRouter = ReturnType<typeof createIngestionRouter>;
