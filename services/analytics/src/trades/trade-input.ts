import { z } from 'zod';

/** Most trades one `recordTrades` call takes; they are written in chunks of `ANALYTICS_CHUNK_SIZE`. */
export const MAX_TRADES_PER_CALL = 5000;

const decimal = z.string().regex(/^\d{1,18}(\.\d{1,10})?$/, 'must be a positive decimal such as "12.5"');
const signedDecimal = z.string().regex(/^-?\d{1,18}(\.\d{1,10})?$/, 'must be a decimal such as "-3.25"');

export const assetSymbol = z
  .string()
  .regex(/^[A-Z0-9]{2,12}(\/[A-Z0-9]{2,12})?$/, 'must be an asset symbol such as "BTC/USDT"');

/** One trade as a caller records it; money is exact decimal strings. */
export const newTrade = z
  .object({
    userId: z.bigint().positive(),
    asset: assetSymbol,
    side: z.enum(['buy', 'sell']),
    quantity: decimal.refine((value) => Number(value) > 0, 'must be greater than 0'),
    price: decimal,
    fee: decimal.default('0'),
    pnl: signedDecimal.optional(),
    status: z.enum(['open', 'closed', 'cancelled']).default('open'),
    openedAt: z.date().optional(),
    closedAt: z.date().optional(),
  })
  .superRefine((trade, ctx) => {
    if ((trade.status === 'closed') !== (trade.closedAt !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['closedAt'],
        message: 'is required exactly when status is closed',
      });
    }
    if (trade.pnl !== undefined && trade.status !== 'closed') {
      ctx.addIssue({ code: 'custom', path: ['pnl'], message: 'is only known for a closed trade' });
    }
    if (trade.openedAt && trade.closedAt && trade.closedAt < trade.openedAt) {
      ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'must not be before openedAt' });
    }
  });

export type NewTrade = z.output<typeof newTrade>;

export const recordTradesInput = z.object({ trades: z.array(newTrade).min(1).max(MAX_TRADES_PER_CALL) });
