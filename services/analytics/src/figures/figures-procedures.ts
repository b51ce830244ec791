import { procedure } from '@mesh/kit';
import { z } from 'zod';
import type { Figures } from './create-figures.js';
import type { DashboardFeed } from './dashboard-feed.js';

const HOUR_MS = 3_600_000;
const BUCKET_MS = { hour: HOUR_MS, day: 24 * HOUR_MS, week: 168 * HOUR_MS, month: 744 * HOUR_MS } as const;
/** Most buckets one revenue read answers (about 83 days by the hour, 5 years by the day). */
export const MAX_BUCKETS = 2000;
/** Longest userGrowth range: one year (and a leap day). */
const MAX_GROWTH_MS = 366 * 24 * HOUR_MS;

const range = z.object({ from: z.date(), to: z.date() });
const fromBeforeTo = (input: { from: Date; to: Date }) => input.from < input.to;
const rangeIssue = { message: 'must be before to', path: ['from'] };

const revenueInput = range
  .extend({ bucket: z.enum(['hour', 'day', 'week', 'month']).default('day') })
  .refine(fromBeforeTo, rangeIssue)
  .refine((input) => (input.to.getTime() - input.from.getTime()) / BUCKET_MS[input.bucket] <= MAX_BUCKETS, {
    message: `gives more than ${MAX_BUCKETS} buckets for this range`,
    path: ['bucket'],
  });

const growthInput = range
  .refine(fromBeforeTo, rangeIssue)
  .refine((input) => input.to.getTime() - input.from.getTime() <= MAX_GROWTH_MS, {
    message: 'must be at most 366 days after from',
    path: ['to'],
  });

const topInput = z.object({ limit: z.number().int().min(1).max(100).default(10) }).default({ limit: 10 });

/**
 * The dashboard's figures, each cached with its TTL and fresh after any `recordTrades`.
 * Budget per figure: 0 queries when cached, 1 when not (plus 1 user-cache call for names).
 */
export function createFiguresProcedures(figures: Figures, feed: DashboardFeed) {
  return {
    dashboardMetrics: procedure.query(() => figures.dashboardMetrics()),
    revenue: procedure.input(revenueInput).query(({ input }) => figures.revenue(input)),
    userGrowth: procedure.input(growthInput).query(({ input }) => figures.userGrowth(input)),
    topUsersByPnl: procedure.input(topInput).query(({ input }) => figures.topUsersByPnl(input.limit)),
    topUsersByVolume: procedure.input(topInput).query(({ input }) => figures.topUsersByVolume(input.limit)),
    assetPerformance: procedure.query(() => figures.assetPerformance()),
    /**
     * The dashboard metrics now, then again after every change (debounced), from any
     * replica's writes: an open dashboard updates without polling.
     */
    onDashboard: procedure.subscription(async function* ({ signal }) {
      yield await figures.dashboardMetrics();
      for await (const _ of feed.changes(signal)) yield await figures.dashboardMetrics();
    }),
    /** Cache hits, misses, stale serves and hit ratio per figure since start (also on /metrics). No query. */
    cacheStats: procedure.query(() => ({ figures: figures.stats() })),
  };
}
