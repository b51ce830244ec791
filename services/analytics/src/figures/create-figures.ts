import type { Cache, NamespaceStats } from '@mesh/cache';
import { checkpoint } from '@mesh/telemetry';
import type pg from 'pg';
import type { UserCacheClient } from '../user-cache-client.js';
import { type Bucket, createFigureKeys, type DateRange, type FigureName, figures } from './figure-keys.js';
import {
  type AssetPerformance,
  type DashboardMetrics,
  queryAssetPerformance,
  queryDashboardMetrics,
  queryFirstTrades,
  queryRevenue,
  queryTopUsers,
  type RevenuePoint,
} from './figure-queries.js';

/** Most ids user-cache's `getUsers` takes in one call. */
const MAX_USER_IDS = 1000;

export interface TopUser {
  userId: bigint;
  name: string | null;
  value: string;
  trades: number;
}

export interface GrowthDay {
  day: Date;
  /** Users whose first trade was that day. */
  newTraders: number;
  /** Of the users who first traded in the range, those who signed up that day (user-cache). */
  signups: number;
}

export interface UserGrowth {
  days: GrowthDay[];
  /** False when more users first traded in the range than one `getUsers` call takes. */
  signupsComplete: boolean;
}

export interface FiguresDeps {
  pool: pg.Pool;
  cache: Cache;
  userCache: UserCacheClient;
}

const DAY_MS = 86_400_000;
const dayOf = (date: Date) => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);

/** Every dashboard figure, read through the shared cache with its own TTL. */
export function createFigures({ pool, cache, userCache }: FiguresDeps) {
  const keys = createFigureKeys(cache);
  const cached = <T>(name: FigureName, key: string, load: () => Promise<T>) =>
    cache.getOrSet(key, load, { ttl: figures[name].ttl });

  /** Names for all ids in one `getUsers` call. */
  async function withNames(totals: Awaited<ReturnType<typeof queryTopUsers>>): Promise<TopUser[]> {
    if (totals.length === 0) return [];
    const users = await userCache.getUsers.query({ ids: totals.map((total) => total.userId) });
    checkpoint('figures.names', { users: users.length });
    return totals.map((total, index) => ({ ...total, name: users[index]?.name ?? null }));
  }

  async function loadUserGrowth(range: DateRange): Promise<UserGrowth> {
    const firsts = await queryFirstTrades(pool, range);
    const asked = firsts.slice(0, MAX_USER_IDS);
    const users = asked.length > 0 ? await userCache.getUsers.query({ ids: asked.map((f) => f.userId) }) : [];
    const days = new Map<number, GrowthDay>();
    const dayEntry = (date: Date) => {
      const day = dayOf(date);
      let entry = days.get(day.getTime());
      if (!entry) {
        entry = { day, newTraders: 0, signups: 0 };
        days.set(day.getTime(), entry);
      }
      return entry;
    };
    for (const first of firsts) dayEntry(first.firstTradeAt).newTraders += 1;
    for (const user of users) {
      if (user && user.createdAt >= range.from && user.createdAt < range.to)
        dayEntry(user.createdAt).signups += 1;
    }
    return {
      days: [...days.values()].sort((a, b) => a.day.getTime() - b.day.getTime()),
      signupsComplete: firsts.length <= MAX_USER_IDS,
    };
  }

  return {
    keys,
    /** Lookups per figure since this instance started: hits, misses, stale serves, errors, hit ratio. */
    stats(): Record<FigureName, NamespaceStats> {
      const all = cache.stats();
      const none: NamespaceStats = { hits: 0, misses: 0, stale: 0, errors: 0, hitRatio: 0 };
      const names = Object.keys(figures) as FigureName[];
      return Object.fromEntries(names.map((name) => [name, all[figures[name].namespace] ?? none])) as Record<
        FigureName,
        NamespaceStats
      >;
    },
    dashboardMetrics: (): Promise<DashboardMetrics> =>
      cached('dashboardMetrics', keys.dashboardMetrics(), () => queryDashboardMetrics(pool)),
    revenue: (input: DateRange & { bucket: Bucket }): Promise<RevenuePoint[]> =>
      cached('revenue', keys.revenue(input), () => queryRevenue(pool, input)),
    userGrowth: (range: DateRange): Promise<UserGrowth> =>
      cached('userGrowth', keys.userGrowth(range), () => loadUserGrowth(range)),
    topUsersByPnl: (limit: number): Promise<TopUser[]> =>
      cached('topUsersByPnl', keys.topUsersByPnl(limit), async () =>
        withNames(await queryTopUsers(pool, { by: 'pnl', limit })),
      ),
    topUsersByVolume: (limit: number): Promise<TopUser[]> =>
      cached('topUsersByVolume', keys.topUsersByVolume(limit), async () =>
        withNames(await queryTopUsers(pool, { by: 'volume', limit })),
      ),
    assetPerformance: (): Promise<AssetPerformance[]> =>
      cached('assetPerformance', keys.assetPerformance(), () => queryAssetPerformance(pool)),
  };
}

export type Figures = ReturnType<typeof createFigures>;
