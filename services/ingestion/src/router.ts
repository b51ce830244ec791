import { router } from '@mesh/kit';
import { createChannelsProcedures } from './channels/channels-procedures.js';
import type { PrismaClient } from './generated/prisma/client.js';

export interface IngestionDeps {
  prisma: PrismaClient;
}

/** The whole tRPC surface of ingestion. */
export function createIngestionRouter(deps: IngestionDeps) {
  return router({ ...createChannelsProcedures(deps) });
}

export type IngestionRouter = ReturnType<typeof createIngestionRouter>;
