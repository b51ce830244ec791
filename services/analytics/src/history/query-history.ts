import type pg from 'pg';
import type { HistoryCursor } from './history-cursor.js';

export interface TradeView {
  id: bigint;
  userId: bigint;
  asset: string;
  side: string;
  quantity: string;
  price: string;
  fee: string;
  pnl: string | null;
  status: string;
  openedAt: Date;
  closedAt: Date;
}

export interface HistoryFilter {
  userId?: bigint;
  asset?: string;
}

interface Row {
  id: string;
  user_id: string;
  asset: string;
  side: string;
  quantity: string;
  price: string;
  fee: string;
  pnl: string | null;
  status: string;
  opened_at: Date;
  closed_at: Date;
  closed_at_us: string;
}

const COLUMNS = `id, user_id, asset, side, trim_scale(quantity)::text AS quantity,
  trim_scale(price)::text AS price, trim_scale(fee)::text AS fee, trim_scale(pnl)::text AS pnl,
  status, opened_at, closed_at,
  ((extract(epoch FROM closed_at) * 1000000)::bigint)::text AS closed_at_us`;

/**
 * The WHERE clause of a filter, with its values bound as $1, $2... (never spliced into the
 * text): one statement text per combination, each served by its own partial index.
 */
function where({ userId, asset }: HistoryFilter): { sql: string; values: string[] } {
  const clauses = ["status = 'closed'"];
  const values: string[] = [];
  if (userId !== undefined) {
    values.push(userId.toString());
    clauses.push(`user_id = $${values.length}::bigint`);
  }
  if (asset !== undefined) {
    values.push(asset);
    clauses.push(`asset = $${values.length}`);
  }
  return { sql: clauses.join(' AND '), values };
}

function toView(row: Row): TradeView & { closedAtMicros: bigint } {
  return {
    id: BigInt(row.id),
    userId: BigInt(row.user_id),
    asset: row.asset,
    side: row.side,
    quantity: row.quantity,
    price: row.price,
    fee: row.fee,
    pnl: row.pnl,
    status: row.status,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    closedAtMicros: BigInt(row.closed_at_us),
  };
}

/** Closed trades newest first, after `cursor`: keyset on (closed_at, id). One query. */
export async function queryHistoryAfter(
  pool: pg.Pool,
  { filter, cursor, limit }: { filter: HistoryFilter; cursor: HistoryCursor | null; limit: number },
) {
  const { sql, values } = where(filter);
  const n = values.length;
  const after = cursor
    ? ` AND (closed_at, id) < (timestamptz 'epoch' + $${n + 2}::bigint * interval '1 microsecond', $${n + 3}::bigint)`
    : '';
  const cursorValues = cursor ? [cursor.closedAtMicros.toString(), cursor.id.toString()] : [];
  const { rows } = await pool.query<Row>(
    `SELECT ${COLUMNS} FROM trades WHERE ${sql}${after}
     ORDER BY closed_at DESC, id DESC LIMIT $${n + 1}`,
    [...values, limit, ...cursorValues],
  );
  return rows.map(toView);
}

/** One numbered page and the total of matching trades, in one statement. */
export async function queryHistoryPage(
  pool: pg.Pool,
  { filter, offset, limit }: { filter: HistoryFilter; offset: number; limit: number },
): Promise<{ trades: TradeView[]; total: number }> {
  const { sql, values } = where(filter);
  const n = values.length;
  const { rows } = await pool.query<Row & { total: number }>(
    `SELECT page.*, counted.total
     FROM (SELECT count(*)::int AS total FROM trades WHERE ${sql}) counted
     LEFT JOIN LATERAL (
       SELECT ${COLUMNS} FROM trades WHERE ${sql}
       ORDER BY closed_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}
     ) page ON true`,
    [...values, limit, offset],
  );
  const total = rows[0]?.total ?? 0;
  const trades = rows
    .filter((row) => row.id !== null)
    .map((row) => {
      const { closedAtMicros: _, ...view } = toView(row);
      return view;
    });
  return { trades, total };
}
