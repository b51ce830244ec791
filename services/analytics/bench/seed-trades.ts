import type pg from 'pg';

/**
 * `count` trades in one statement, over 2,000 users and 20 assets, 90 % closed. All but the
 * last 1,000 were opened between 400 and about 40 days ago; the last 1,000 between 12 and 4
 * hours ago. So the 24-hour window of "active traders" never crosses a trade while the bench
 * runs, and every side is compared with the same answer.
 */
export async function seedTrades(pool: pg.Pool, count: number): Promise<void> {
  const recent = 1000;
  const { rowCount } = await pool.query(
    `INSERT INTO trades (user_id, asset, side, quantity, price, fee, pnl, status, opened_at, closed_at)
     SELECT 1 + n % 2000, 'A' || (n % 20), CASE WHEN n % 2 = 0 THEN 'buy' ELSE 'sell' END,
            1 + n % 7, 100 + n % 50, 0.1 * (n % 5), CASE WHEN n % 10 <> 0 THEN (n % 41) - 20 END,
            CASE WHEN n % 10 <> 0 THEN 'closed' ELSE 'open' END, opened,
            CASE WHEN n % 10 <> 0 THEN opened + interval '1 hour' END
     FROM generate_series(1, $1::int) AS n,
          LATERAL (SELECT CASE WHEN n <= $1::int - $2::int
                               THEN now() - interval '400 days' + n * interval '315 seconds'
                               ELSE now() - interval '12 hours' + (n - ($1::int - $2::int)) * interval '30 seconds'
                          END AS opened) o`,
    [count, recent],
  );
  if (rowCount !== count) throw new Error(`seeded ${rowCount} trades, expected ${count}`);
  await pool.query('VACUUM ANALYZE trades');
}
