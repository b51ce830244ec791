import { randomBytes } from 'node:crypto';
import { serviceEnvSource } from '@mesh/bench';
import { createCache, readCacheEnv } from '@mesh/cache';
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import type pg from 'pg';
import { DB_SCHEMA, readEnv, SERVICE_NAME } from '../src/env.js';
import { figures } from '../src/figures/figure-keys.js';
import { type DashboardMetrics, queryDashboardMetrics } from '../src/figures/figure-queries.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { migrations } from '../src/migrations.js';
import { buildAnalyticsService } from '../src/server.js';
import { type AnalyticsRuns, analyticsCases, type LoadSideRun, type ReadSide } from './analytics-cases.js';
import { type DashboardFigures, dashboardBefore, dashboardFigures } from './dashboard-before.js';
import { type AnalyticsBenchEnv, readBenchEnv } from './env.js';
import { measureLoad, measureReads } from './measure-reads.js';
import { seedTrades } from './seed-trades.js';

export interface RunOptions {
  progress?: (line: string) => void;
}

const same = (a: DashboardFigures, b: DashboardFigures) =>
  JSON.stringify(dashboardFigures(a)) === JSON.stringify(dashboardFigures(b));

/**
 * The analytics suite: the dashboard's metrics the old way (six queries, no cache), as the
 * service's one statement, through the service uncached and cached, all over the same 100,000
 * trades; then reads under load while a trade is recorded every second, and the hit ratio kept.
 */
export async function run({ progress = () => {} }: RunOptions = {}) {
  const env = readBenchEnv();
  // Undone in reverse order whatever fails, so a failed run leaves no database or keys behind.
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const database = await createTestDatabase({ migrations: [migrations] });
    cleanup.push(() => database.drop());
    const prefix = `bench-${randomBytes(4).toString('hex')}:`;
    const logger = createLogger({ name: 'bench', level: 'silent' });
    const dbEnv = { DATABASE_URL: database.url, DB_POOL_MAX: '20' };
    const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: readDbEnv(dbEnv), logger });
    cleanup.push(() => db.close());
    // The bench's own handle on the service's cache namespace (same prefix), as another replica would be.
    const cache = await createCache({
      service: SERVICE_NAME,
      env: readCacheEnv(serviceEnvSource({ CACHE_KEY_PREFIX: prefix })),
      logger,
    });
    cleanup.push(async () => {
      await cache.clear().catch(() => 0);
      await cache.close();
    });
    const service = await buildAnalyticsService(
      readEnv(
        serviceEnvSource({
          ...dbEnv,
          MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
          LOG_LEVEL: 'silent',
          CACHE_KEY_PREFIX: prefix,
        }),
      ),
    );
    cleanup.push(() => service.close());

    progress(`seeding ${env.trades.toLocaleString('en-US')} trades`);
    await seedTrades(db.pool, env.trades);
    const caller = service.createCaller();
    const sides: Sides = {
      before: dashboardBefore(db.pool),
      sqlOnly: () => queryDashboardMetrics(db.pool),
      uncached: () => caller.dashboardMetrics(),
      cached: () => caller.dashboardMetrics(),
    };
    const invalidate = () => cache.invalidateNamespace(figures.dashboardMetrics.namespace);
    const runs: AnalyticsRuns = {
      reads: { before: [], sqlOnly: [], uncached: [], cached: [] },
      load: { before: [], service: [] },
    };
    for (let round = 1; round <= env.runs; round++) {
      await measureReadSides({ env, sides, invalidate, runs, round, progress });
      await measureLoadSides({ env, sides, caller, pool: db.pool, runs, round, progress });
    }
    return { cases: analyticsCases(runs, env) };
  } finally {
    for (const undo of cleanup.reverse()) await undo();
  }
}

type Sides = Record<ReadSide, () => Promise<DashboardFigures>>;
type Caller = ReturnType<Awaited<ReturnType<typeof buildAnalyticsService>>['createCaller']>;

interface ReadSidesOptions {
  env: AnalyticsBenchEnv;
  sides: Sides;
  invalidate(): Promise<unknown>;
  runs: AnalyticsRuns;
  round: number;
  progress(line: string): void;
}

/** Each per-read side once, interleaved, order reversed every other run; answers checked against one expected. */
async function measureReadSides({ env, sides, invalidate, runs, round, progress }: ReadSidesOptions) {
  await invalidate();
  const expected = (await sides.uncached()) as DashboardMetrics;
  // The six queries' figures and the service's must agree before anything is timed.
  const agreed = same(await sides.before(), expected) ? 0 : 1;
  const order: ReadSide[] = ['before', 'sqlOnly', 'uncached', 'cached'];
  if (round % 2 === 0) order.reverse();
  for (const side of order) {
    progress(`run ${round}/${env.runs}: dashboard read, ${side}`);
    if (side === 'cached') await sides.cached();
    const measured = await measureReads({
      read: sides[side],
      check: (answer) =>
        side === 'before' ? same(answer, expected) : JSON.stringify(answer) === JSON.stringify(expected),
      before: side === 'uncached' ? invalidate : undefined,
      budgetMs: env.caseMs,
    });
    runs.reads[side].push(side === 'before' ? { ...measured, errors: measured.errors + agreed } : measured);
  }
}

interface LoadSidesOptions {
  env: AnalyticsBenchEnv;
  sides: Sides;
  caller: Caller;
  pool: pg.Pool;
  runs: AnalyticsRuns;
  round: number;
  progress(line: string): void;
}

/** The six-query before and the service under the same read load and the same one write a second. */
async function measureLoadSides({ env, sides, caller, pool, runs, round, progress }: LoadSidesOptions) {
  let tradeNo = 0;
  const write = () =>
    caller.recordTrades({
      trades: [
        {
          userId: BigInt(1 + (tradeNo++ % 2000)),
          asset: 'BENCH',
          side: 'buy',
          quantity: '1',
          price: '100',
          openedAt: new Date(),
        },
      ],
    });
  const order = round % 2 === 0 ? (['service', 'before'] as const) : (['before', 'service'] as const);
  for (const side of order) {
    progress(`run ${round}/${env.runs}: reads under load, ${side}`);
    const { rows } = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM trades');
    const base = (rows[0] as { count: number }).count;
    const statsBefore = (await caller.cacheStats()).figures.dashboardMetrics;
    const measured: LoadSideRun = await measureLoad({
      read: side === 'before' ? sides.before : sides.cached,
      // Fresh: every trade acknowledged before the read began is counted, none that had not started.
      check: (answer, { completedWrites, startedWrites }) =>
        answer.trades >= base + completedWrites && answer.trades <= base + startedWrites,
      write,
      seconds: env.loadSeconds,
      concurrency: env.concurrency,
    });
    if (side === 'service') {
      const after = (await caller.cacheStats()).figures.dashboardMetrics;
      const hits = after.hits + after.stale - (statsBefore.hits + statsBefore.stale);
      const misses = after.misses - statsBefore.misses;
      measured.hitRatio = hits / Math.max(1, hits + misses);
      measured.misses = misses;
    }
    runs.load[side].push(measured);
  }
}
