import type { Cache } from '@mesh/cache';
import { router } from '@mesh/kit';
import type pg from 'pg';
import { createFigures } from './figures/create-figures.js';
import type { DashboardFeed } from './figures/dashboard-feed.js';
import { createFiguresProcedures } from './figures/figures-procedures.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createHistoryProcedures } from './history/history-procedures.js';
import { createTradesProcedures } from './trades/trades-procedures.js';
import type { UserCacheClient } from './user-cache-client.js';

export interface AnalyticsDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  cache: Cache;
  userCache: UserCacheClient;
  chunkSize: number;
  feed: DashboardFeed;
}

/** The whole tRPC surface of analytics. */
export function createAnalyticsRouter(deps: AnalyticsDeps) {
  const figures = createFigures(deps);
  return router({
    ...createTradesProcedures({
      ...deps,
      onChanged: (changed) => {
        if (changed.includes('dashboardMetrics')) deps.feed.changed();
      },
    }),
    ...createFiguresProcedures(figures, deps.feed),
    ...createHistoryProcedures(deps),
  });
}

export type AnalyticsRouter = ReturnType<typeof createAnalyticsRouter>;
