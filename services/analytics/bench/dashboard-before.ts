import type pg from 'pg';

/** The six figures the old dashboard showed (the service adds P&L). */
export interface DashboardFigures {
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
 * The old dashboard's "before": `getDashboardMetrics()` as six separate queries, awaited one after
 * another, no cache. Bound parameters where the old code built strings; the sums are the same
 * exact numeric text as the service's, so the answers can be compared.
 */
export function dashboardBefore(pool: pg.Pool) {
  return async (): Promise<DashboardFigures> => ({
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

/** The six figures the old dashboard showed, of any answer, for comparing sides. */
export function dashboardFigures(answer: DashboardFigures): DashboardFigures {
  const { traders, activeTraders24h, trades, openTrades, volume, revenue } = answer;
  return { traders, activeTraders24h, trades, openTrades, volume, revenue };
}
