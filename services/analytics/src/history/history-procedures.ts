import { procedure } from '@mesh/kit';
import type pg from 'pg';
import { z } from 'zod';
import { assetSymbol } from '../trades/trade-input.js';
import { decodeCursor, encodeCursor } from './history-cursor.js';
import { queryHistoryAfter, queryHistoryPage } from './query-history.js';

/** Deepest row the legacy page form reaches: OFFSET reads and drops every row before it. */
export const MAX_PAGE_OFFSET = 10_000;

const filter = { userId: z.bigint().positive().optional(), asset: assetSymbol.optional() };
const limit = z.number().int().min(1).max(100).default(50);

const cursorInput = z.object({
  ...filter,
  cursor: z
    .string()
    .max(64)
    .transform((raw, ctx) => {
      const cursor = decodeCursor(raw);
      if (!cursor) ctx.addIssue({ code: 'custom', message: 'is not a cursor this service gave out' });
      return cursor ?? z.NEVER;
    })
    .optional(),
  limit,
});

const pageInput = z
  .object({ ...filter, page: z.number().int().min(1).default(1), limit })
  .refine((input) => (input.page - 1) * input.limit < MAX_PAGE_OFFSET, {
    message: `reaches past row ${MAX_PAGE_OFFSET}; walk tradeHistory's cursor instead`,
    path: ['page'],
  });

/** Closed trades, newest first: by cursor (the fast way) and by page number (with a total). */
export function createHistoryProcedures({ pool }: { pool: pg.Pool }) {
  return {
    /**
     * A page of closed trades after `cursor` in (closed_at, id) order, and the cursor of the
     * next page (null at the end). Trades recorded while a caller walks the pages never
     * shift them: every older trade appears exactly once. Budget: 1 query.
     */
    tradeHistory: procedure.input(cursorInput).query(async ({ input }) => {
      const rows = await queryHistoryAfter(pool, {
        filter: input,
        cursor: input.cursor ?? null,
        limit: input.limit + 1,
      });
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        trades: page.map(({ closedAtMicros: _, ...trade }) => trade),
        nextCursor:
          rows.length > input.limit && last
            ? encodeCursor({ closedAtMicros: last.closedAtMicros, id: last.id })
            : null,
      };
    }),
    /**
     * The legacy form: page `page` of `limit` and the total, for callers that show page
     * numbers. Capped at row 10,000. Budget: 1 query.
     */
    tradeHistoryPage: procedure.input(pageInput).query(async ({ input }) => {
      const { trades, total } = await queryHistoryPage(pool, {
        filter: input,
        offset: (input.page - 1) * input.limit,
        limit: input.limit,
      });
      return { trades, total, page: input.page, limit: input.limit, pages: Math.ceil(total / input.limit) };
    }),
  };
}
