import { type Cache, CacheTtl } from '@mesh/cache';

/**
 * Every cached figure of analytics: its cache namespace and its TTL (the old dashboard's per-figure TTLs).
 * A figure's namespace is also its name in `cacheStats` and on `/metrics`.
 */
export const figures = {
  dashboardMetrics: { namespace: 'dashboard', ttl: CacheTtl.VERY_SHORT },
  revenue: { namespace: 'revenue', ttl: CacheTtl.SHORT },
  userGrowth: { namespace: 'user-growth', ttl: 600 },
  topUsersByPnl: { namespace: 'top-pnl', ttl: CacheTtl.SHORT },
  topUsersByVolume: { namespace: 'top-volume', ttl: CacheTtl.SHORT },
  assetPerformance: { namespace: 'assets', ttl: CacheTtl.SHORT },
} as const;

export type FigureName = keyof typeof figures;

export type Bucket = 'hour' | 'day' | 'week' | 'month';

export interface DateRange {
  from: Date;
  to: Date;
}

/** The one place analytics' cache keys are made. */
export function createFigureKeys(cache: Cache) {
  const key = (name: FigureName, ...parts: Array<string | number>) =>
    cache.key(figures[name].namespace, ...parts);
  return {
    dashboardMetrics: () => key('dashboardMetrics', 'all'),
    revenue: ({ from, to, bucket }: DateRange & { bucket: Bucket }) =>
      key('revenue', from.toISOString(), to.toISOString(), bucket),
    userGrowth: ({ from, to }: DateRange) => key('userGrowth', from.toISOString(), to.toISOString()),
    topUsersByPnl: (limit: number) => key('topUsersByPnl', limit),
    topUsersByVolume: (limit: number) => key('topUsersByVolume', limit),
    assetPerformance: () => key('assetPerformance', 'all'),
  };
}

export type FigureKeys = ReturnType<typeof createFigureKeys>;
