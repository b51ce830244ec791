import type { Cache } from '@mesh/cache';
import { procedure } from '@mesh/kit';
import { checkpoint } from '@mesh/telemetry';
import type pg from 'pg';
import { z } from 'zod';
import { changedFigures, invalidateFigures } from '../figures/invalidate-figures.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { UserCacheClient } from '../user-cache-client.js';
import { recordTrades } from './record-trades.js';
import { recordTradesInput } from './trade-input.js';

export interface TradesDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  cache: Cache;
  userCache: UserCacheClient;
  chunkSize: number;
  /** Called with the figures a write changed, after they were invalidated. */
  onChanged?: (figures: ReturnType<typeof changedFigures>) => void;
}

/** Trades: recording (with invalidation) and a per-user summary (with the user's name from user-cache). */
export function createTradesProcedures({ prisma, pool, cache, userCache, chunkSize, onChanged }: TradesDeps) {
  return {
    /**
     * Records trades, one bulk INSERT per chunk, then invalidates exactly the figures they
     * change on every replica; when it returns, the next read of any figure is fresh.
     * Budget: 1 query per chunk (+ BEGIN/COMMIT past one chunk).
     */
    recordTrades: procedure.input(recordTradesInput).mutation(async ({ input }) => {
      const outcome = await recordTrades(pool, input.trades, chunkSize);
      checkpoint('trades.inserted', { rows: outcome.recorded });
      const changed = changedFigures(outcome);
      await invalidateFigures(cache, changed);
      checkpoint('figures.invalidated', { figures: changed.length });
      onChanged?.(changed);
      return { recorded: outcome.recorded };
    }),
    /** A user's trade count and volume, and their name. Budget: 1 query and 1 user-cache call. */
    userSummary: procedure.input(z.object({ userId: z.bigint().positive() })).query(async ({ input }) => {
      const [totals, [user]] = await Promise.all([
        prisma.trade.aggregate({
          where: { userId: input.userId },
          _count: { _all: true },
          _sum: { quantity: true },
        }),
        userCache.getUsers.query({ ids: [input.userId] }),
      ]);
      checkpoint('loaded');
      return {
        userId: input.userId,
        name: user?.name ?? null,
        trades: totals._count._all,
        volume: (totals._sum.quantity ?? 0).toString(),
      };
    }),
  };
}
