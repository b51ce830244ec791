import { router } from '@mesh/kit';
import type { MeshClient } from '@mesh/sdk';
import type { PrismaClient } from './generated/prisma/client.js';
import { createTradesProcedures } from './trades/trades-procedures.js';

export interface AnalyticsDeps {
  prisma: PrismaClient;
  userCache: MeshClient['userCache'];
}

/** The whole tRPC surface of analytics. */
export function createAnalyticsRouter(deps: AnalyticsDeps) {
  return router({ ...createTradesProcedures(deps) });
}

export type AnalyticsRouter = ReturnType<typeof createAnalyticsRouter>;
