import type pg from 'pg';
import type { Bucket, DateRange } from './figure-keys.js';

// Money is summed in SQL (numeric, exact) and leaves as text: no float ever holds it.
// "Volume" is quantity x price of every trade not cancelled; "revenue" the fees of closed trades.

export interface DashboardMetrics {
  traders: number;
  activeTraders24h: number;
  trades: number;
  openTrades: number;
  volume: string;
  revenue: string;
  pnl: string;
}

/** The old dashboard's six queries (plus P&L) as one statement: one pass over trades. */
export async function queryDashboardMetrics(pool: pg.Pool): Promise<DashboardMetrics> {
  const { rows } = await pool.query<DashboardMetrics>(`
    SELECT count(DISTINCT user_id)::int AS "traders",
           count(DISTINCT user_id) FILTER (WHERE opened_at > now() - interval '24 hours')::int AS "activeTraders24h",
           count(*)::int AS "trades",
           count(*) FILTER (WHERE status = 'open')::int AS "openTrades",
           trim_scale(coalesce(sum(quantity * price) FILTER (WHERE status <> 'cancelled'), 0))::text AS "volume",
           trim_scale(coalesce(sum(fee) FILTER (WHERE status = 'closed'), 0))::text AS "revenue",
           trim_scale(coalesce(sum(pnl) FILTER (WHERE status = 'closed'), 0))::text AS "pnl"
    FROM trades`);
  return rows[0] as DashboardMetrics;
}

export interface RevenuePoint {
  bucket: Date;
  revenue: string;
  trades: number;
}

/** Fees of trades closed in [from, to) per UTC bucket, from the covering closed-trades index. */
export async function queryRevenue(
  pool: pg.Pool,
  { from, to, bucket }: DateRange & { bucket: Bucket },
): Promise<RevenuePoint[]> {
  const { rows } = await pool.query<RevenuePoint>(
    `SELECT date_trunc($3, closed_at, 'UTC') AS "bucket",
            trim_scale(sum(fee))::text AS "revenue", count(*)::int AS "trades"
     FROM trades
     WHERE status = 'closed' AND closed_at >= $1 AND closed_at < $2
     GROUP BY 1 ORDER BY 1`,
    [from, to, bucket],
  );
  return rows;
}

export interface FirstTrade {
  userId: bigint;
  firstTradeAt: Date;
}

/**
 * Users whose earliest trade falls in [from, to): the users trading in the range (index-only
 * on opened_at), then each one's earliest trade through (user_id, opened_at), one probe each.
 */
export async function queryFirstTrades(pool: pg.Pool, { from, to }: DateRange): Promise<FirstTrade[]> {
  const { rows } = await pool.query<{ user_id: string; first_trade_at: Date }>(
    `SELECT u.user_id, f.first_trade_at
     FROM (SELECT DISTINCT user_id FROM trades WHERE opened_at >= $1 AND opened_at < $2) u
     CROSS JOIN LATERAL (
       SELECT t.opened_at AS first_trade_at FROM trades t
       WHERE t.user_id = u.user_id ORDER BY t.opened_at LIMIT 1
     ) f
     WHERE f.first_trade_at >= $1
     ORDER BY f.first_trade_at, u.user_id`,
    [from, to],
  );
  return rows.map((row) => ({ userId: BigInt(row.user_id), firstTradeAt: row.first_trade_at }));
}

export interface UserTotal {
  userId: bigint;
  value: string;
  trades: number;
}

const TOP_BY = {
  pnl: {
    total: 'sum(pnl)',
    where: "status = 'closed' AND pnl IS NOT NULL",
  },
  volume: {
    total: 'sum(quantity * price)',
    where: "status <> 'cancelled'",
  },
} as const;

/** The `limit` users with the largest realised P&L or traded volume (ties by user id). */
export async function queryTopUsers(
  pool: pg.Pool,
  { by, limit }: { by: keyof typeof TOP_BY; limit: number },
): Promise<UserTotal[]> {
  const { total, where } = TOP_BY[by];
  const { rows } = await pool.query<{ user_id: string; value: string; trades: number }>(
    `SELECT user_id, trim_scale(${total})::text AS value, count(*)::int AS trades
     FROM trades WHERE ${where}
     GROUP BY user_id ORDER BY ${total} DESC, user_id LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ userId: BigInt(row.user_id), value: row.value, trades: row.trades }));
}

export interface AssetPerformance {
  asset: string;
  trades: number;
  closedTrades: number;
  winningTrades: number;
  volume: string;
  pnl: string;
  fees: string;
}

/** Per asset: trades, volume, realised P&L, fees and winners, by volume. */
export async function queryAssetPerformance(pool: pg.Pool): Promise<AssetPerformance[]> {
  const { rows } = await pool.query<AssetPerformance>(`
    SELECT asset,
           count(*)::int AS "trades",
           count(*) FILTER (WHERE status = 'closed')::int AS "closedTrades",
           count(*) FILTER (WHERE status = 'closed' AND pnl > 0)::int AS "winningTrades",
           trim_scale(sum(quantity * price))::text AS "volume",
           trim_scale(coalesce(sum(pnl) FILTER (WHERE status = 'closed'), 0))::text AS "pnl",
           trim_scale(coalesce(sum(fee) FILTER (WHERE status = 'closed'), 0))::text AS "fees"
    FROM trades WHERE status <> 'cancelled'
    GROUP BY asset ORDER BY sum(quantity * price) DESC, asset`);
  return rows;
}
