import type pg from 'pg';

/** The six figures seed 004's dashboard showed (the service adds P&L). */
export interface SeedDashboard {
  traders: number;
  activeTraders24h: number;
  trades: number;
  openTrades: number;
  volume: string;
  revenue: string;
}

const DAY_MS = 86_400_000;

async function one<T>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<T> {
  const { rows } = await pool.query<{ value: T }>(text, values);
  return (rows[0] as { value: T }).value;
}

/**
 * Seed 004's "before": `getDashboardMetrics()` as six separate queries, awaited one after
 * another, no cache. Bound parameters where the seed built strings; the sums are the same
 * exact numeric text as the service's, so the answers can be compared.
 */
export function seedBefore(pool: pg.Pool) {
  return async (): Promise<SeedDashboard> => ({
    traders: await one<number>(pool, 'SELECT count(DISTINCT user_id)::int AS value FROM trades'),
    activeTraders24h: await one<number>(
      pool,
      'SELECT count(DISTINCT user_id)::int AS value FROM trades WHERE opened_at > $1',
      [new Date(Date.now() - DAY_MS)],
    ),
    trades: await one<number>(pool, 'SELECT count(*)::int AS value FROM trades'),
    openTrades: await one<number>(pool, 'SELECT count(*)::int AS value FROM trades WHERE status = $1', [
      'open',
    ]),
    volume: await one<string>(
      pool,
      'SELECT trim_scale(coalesce(sum(quantity * price), 0))::text AS value FROM trades WHERE status <> $1',
      ['cancelled'],
    ),
    revenue: await one<string>(
      pool,
      'SELECT trim_scale(coalesce(sum(fee), 0))::text AS value FROM trades WHERE status = $1',
      ['closed'],
    ),
  });
}

/** The six seed figures of any dashboard answer, for comparing sides. */
export function seedFigures(answer: SeedDashboard): SeedDashboard {
  const { traders, activeTraders24h, trades, openTrades, volume, revenue } = answer;
  return { traders, activeTraders24h, trades, openTrades, volume, revenue };
}
