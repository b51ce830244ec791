import { procedure } from '@mesh/kit';
import type { MeshClient } from '@mesh/sdk';
import { checkpoint } from '@mesh/telemetry';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';

const decimal = z.string().regex(/^\d{1,18}(\.\d{1,10})?$/, 'must be a positive decimal such as "12.5"');

const newTrade = z.object({
  userId: z.bigint().positive(),
  asset: z
    .string()
    .regex(/^[A-Z0-9]{2,12}(\/[A-Z0-9]{2,12})?$/, 'must be an asset symbol such as "BTC/USDT"'),
  side: z.enum(['buy', 'sell']),
  quantity: decimal,
  price: decimal,
});

export interface TradesDeps {
  prisma: PrismaClient;
  userCache: MeshClient['userCache'];
}

/** Trades: recording and a per-user summary (with the user's name from user-cache). */
export function createTradesProcedures({ prisma, userCache }: TradesDeps) {
  return {
    /** Records trades in one bulk insert. Budget: 1 query. */
    recordTrades: procedure
      .input(z.object({ trades: z.array(newTrade).min(1).max(1000) }))
      .mutation(async ({ input }) => {
        const { count } = await prisma.trade.createMany({ data: input.trades });
        return { recorded: count };
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
