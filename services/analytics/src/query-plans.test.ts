import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryFirstTrades, queryRevenue } from './figures/figure-queries.js';
import { queryHistoryAfter, queryHistoryPage } from './history/query-history.js';
import { migrations } from './migrations.js';

/*
 * The service's own statements, EXPLAINed over 100,000 trades: a pool whose query() explains
 * the text it is given instead of running it, so the plans are of exactly the SQL served.
 */

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

let database: TestDatabase;
let pool: pg.Pool;
let plan: PlanNode | undefined;

const explaining = {
  async query(text: string, values?: unknown[]) {
    const { rows } = await pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${text}`,
      values,
    );
    plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
    return { rows: [] };
  },
} as unknown as pg.Pool;

function nodes(node: PlanNode | undefined): PlanNode[] {
  return node ? [node, ...(node.Plans ?? []).flatMap(nodes)] : [];
}

async function planOf(run: () => Promise<unknown>) {
  plan = undefined;
  await run();
  const all = nodes(plan);
  return {
    seqScans: all.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']),
    indexes: all.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])),
  };
}

const YEAR_START = Date.UTC(2025, 0, 1);
const week = { from: new Date(Date.UTC(2025, 5, 1)), to: new Date(Date.UTC(2025, 5, 8)) };

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [migrations] });
  pool = new pg.Pool({ connectionString: database.url, max: 1, options: '-c search_path=analytics' });
  // One statement: 100,000 trades over a year, 2,000 users, 20 assets, 90% closed.
  const inserted = await pool.query(
    `INSERT INTO trades (user_id, asset, side, quantity, price, fee, pnl, status, opened_at, closed_at)
     SELECT 1 + n % 2000, 'A' || (n % 20), CASE WHEN n % 2 = 0 THEN 'buy' ELSE 'sell' END,
            1 + n % 7, 100 + n % 50, 0.1 * (n % 5), CASE WHEN n % 10 <> 0 THEN (n % 41) - 20 END,
            CASE WHEN n % 10 <> 0 THEN 'closed' ELSE 'open' END, opened,
            CASE WHEN n % 10 <> 0 THEN opened + interval '1 hour' END
     FROM generate_series(1, 100000) AS n,
          LATERAL (SELECT to_timestamp($1 / 1000.0) + (n * interval '315 seconds') AS opened) o`,
    [YEAR_START],
  );
  expect(inserted.rowCount).toBe(100_000);
  await pool.query('VACUUM ANALYZE trades');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('over 100,000 trades, the hot queries use their index, never a sequential scan', () => {
  it.each([
    [
      'revenue for a week',
      () => queryRevenue(explaining, { ...week, bucket: 'day' }),
      'trades_closed_at_id_idx',
    ],
    [
      'first trades of a week (user growth)',
      () => queryFirstTrades(explaining, week),
      'trades_opened_at_user_id_idx',
    ],
    [
      'the newest closed trades',
      () => queryHistoryAfter(explaining, { filter: {}, cursor: null, limit: 51 }),
      'trades_closed_at_id_idx',
    ],
    [
      'the next page after a cursor',
      () =>
        queryHistoryAfter(explaining, {
          filter: {},
          cursor: { closedAtMicros: BigInt(Date.UTC(2025, 5, 1)) * 1000n, id: 40_000n },
          limit: 51,
        }),
      'trades_closed_at_id_idx',
    ],
    [
      "one user's closed trades",
      () => queryHistoryAfter(explaining, { filter: { userId: 42n }, cursor: null, limit: 51 }),
      'trades_user_id_closed_at_id_idx',
    ],
    [
      "one asset's closed trades",
      () => queryHistoryAfter(explaining, { filter: { asset: 'A7' }, cursor: null, limit: 51 }),
      'trades_asset_closed_at_id_idx',
    ],
    [
      "a numbered page of one user's trades with its total",
      () => queryHistoryPage(explaining, { filter: { userId: 42n }, offset: 20, limit: 10 }),
      'trades_user_id_closed_at_id_idx',
    ],
  ])('%s', async (_name, run, index) => {
    const { seqScans, indexes } = await planOf(run);
    expect(seqScans).toEqual([]);
    expect(indexes).toContain(index);
  });

  it("reads the user's first trade through (user_id, opened_at)", async () => {
    const { indexes } = await planOf(() => queryFirstTrades(explaining, week));
    expect(indexes).toContain('trades_user_id_opened_at_idx');
  });
});
