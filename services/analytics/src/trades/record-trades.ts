import type pg from 'pg';
import type { NewTrade } from './trade-input.js';

/** What a write changed, so exactly the figures it touches are invalidated. */
export interface RecordOutcome {
  recorded: number;
  /** Closed trades written: revenue and P&L figures move. */
  closed: number;
  /** Trades that are their user's earliest: user growth moves. */
  firstTrades: number;
}

/*
 * One statement per chunk: the rows travel as ten arrays (the same text and ten parameters
 * whatever the count), and the statement itself reports what the invalidation needs. The
 * NOT EXISTS reads the table as it was before this statement (a data-modifying CTE's rows are
 * invisible to the rest of its statement), through (user_id, opened_at).
 */
const INSERT_CHUNK = `
WITH inserted AS (
  INSERT INTO trades (user_id, asset, side, quantity, price, fee, pnl, status, opened_at, closed_at)
  SELECT t.user_id, t.asset, t.side, t.quantity, t.price, t.fee, t.pnl, t.status,
         coalesce(t.opened_at, now()), t.closed_at
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[],
              $7::numeric[], $8::text[], $9::timestamptz[], $10::timestamptz[])
       AS t(user_id, asset, side, quantity, price, fee, pnl, status, opened_at, closed_at)
  RETURNING user_id, opened_at, status
)
SELECT count(*)::int AS recorded,
       count(*) FILTER (WHERE i.status = 'closed')::int AS closed,
       count(*) FILTER (WHERE NOT EXISTS (
         SELECT 1 FROM trades t WHERE t.user_id = i.user_id AND t.opened_at <= i.opened_at
       ))::int AS first_trades
FROM inserted i`;

function columns(trades: readonly NewTrade[]): unknown[] {
  return [
    trades.map((t) => t.userId.toString()),
    trades.map((t) => t.asset),
    trades.map((t) => t.side),
    trades.map((t) => t.quantity),
    trades.map((t) => t.price),
    trades.map((t) => t.fee),
    trades.map((t) => t.pnl ?? null),
    trades.map((t) => t.status),
    trades.map((t) => t.openedAt ?? null),
    trades.map((t) => t.closedAt ?? null),
  ];
}

interface Row {
  recorded: number;
  closed: number;
  first_trades: number;
}

/**
 * Writes trades with one INSERT per chunk of `chunkSize`. Several chunks go in one
 * transaction on one connection, so a failure leaves none of them. Budget: 1 query per
 * chunk, plus BEGIN and COMMIT when there is more than one.
 */
export async function recordTrades(
  pool: pg.Pool,
  trades: readonly NewTrade[],
  chunkSize: number,
): Promise<RecordOutcome> {
  const chunks: NewTrade[][] = [];
  for (let start = 0; start < trades.length; start += chunkSize) {
    chunks.push(trades.slice(start, start + chunkSize));
  }
  const total: RecordOutcome = { recorded: 0, closed: 0, firstTrades: 0 };
  const add = ({ rows: [row] }: pg.QueryResult<Row>) => {
    total.recorded += row?.recorded ?? 0;
    total.closed += row?.closed ?? 0;
    total.firstTrades += row?.first_trades ?? 0;
  };
  if (chunks.length === 1) {
    add(await pool.query<Row>(INSERT_CHUNK, columns(chunks[0] ?? [])));
    return total;
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const chunk of chunks) add(await client.query<Row>(INSERT_CHUNK, columns(chunk)));
    await client.query('COMMIT');
    return total;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
