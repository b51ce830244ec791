import { median, type SuiteCase } from '@mesh/bench';
import type { AnalyticsBenchEnv } from './env.js';
import type { LoadRun, ReadRun } from './measure-reads.js';

export type ReadSide = 'before' | 'sqlOnly' | 'uncached' | 'cached';

export interface LoadSideRun extends LoadRun {
  /** The service side only: the dashboard's cache hit ratio over the run (hits + stale over lookups). */
  hitRatio?: number;
  misses?: number;
}

export interface AnalyticsRuns {
  reads: Record<ReadSide, ReadRun[]>;
  load: { before: LoadSideRun[]; service: LoadSideRun[] };
}

/** One comparison, as the bench runner takes it. */
export type MeasuredCase = SuiteCase;

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const meanOf = (values: number[]) => round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length), 2);
const errorsOf = (...runs: Array<Array<{ errors: number }>>) =>
  runs.flat().reduce((total, run) => total + run.errors, 0);

const readSubjects = {
  sqlOnly: 'the service statement alone, no cache',
  uncached: 'service, uncached',
  cached: 'service, cached',
} as const;

const readNotes = {
  sqlOnly: "the service's one statement (queryDashboardMetrics) on the pool, outside the procedure and cache",
  uncached:
    "dashboardMetrics through the in-process caller, with the 'dashboard' namespace invalidated (untimed) " +
    'before every read, as recordTrades does: Redis lookup that misses, the statement, the write-back',
  cached: 'dashboardMetrics through the in-process caller, the figure already in Redis',
} as const;

/** The per-read sides against the six-query before, and the throughput case. */
export function analyticsCases(runs: AnalyticsRuns, env: AnalyticsBenchEnv): MeasuredCase[] {
  const table = `${env.trades.toLocaleString('en-US')} trades (2,000 users, 20 assets, 90 % closed), VACUUM ANALYZEd`;
  const baselineNote =
    "baseline: the old dashboard's getDashboardMetrics before caching, six separate parameterised queries awaited in sequence, no cache";
  const perRead = (['sqlOnly', 'uncached', 'cached'] as const).map(
    (side): MeasuredCase => ({
      name: `dashboard read: ${readSubjects[side]}`,
      metric: 'ms/read',
      better: 'lower',
      baselineRuns: runs.reads.before.map((run) => round(run.msPerRead)),
      valueRuns: runs.reads[side].map((run) => round(run.msPerRead)),
      errors: errorsOf(runs.reads.before, runs.reads[side]),
      notes:
        `${baselineNote}; value: ${readNotes[side]}; ${table}; one read at a time, each side timed ` +
        `${env.caseMs} ms a run, median ms per read; sides interleaved, order reversed every other run; every answer checked`,
      extra: {
        queriesPerRead: {
          baseline: meanOf(runs.reads.before.map((run) => run.queriesPerRead)),
          value: meanOf(runs.reads[side].map((run) => run.queriesPerRead)),
        },
        readsPerRun: {
          baseline: runs.reads.before.map((r) => r.reads),
          value: runs.reads[side].map((r) => r.reads),
        },
      },
    }),
  );
  const { before, service } = runs.load;
  const load: MeasuredCase = {
    name: 'dashboard reads under load, a trade recorded every second',
    metric: 'reads/s',
    better: 'higher',
    baselineRuns: before.map((run) => round(run.readsPerSecond, 1)),
    valueRuns: service.map((run) => round(run.readsPerSecond, 1)),
    errors: errorsOf(before, service),
    notes:
      `${baselineNote}; value: dashboardMetrics through the in-process caller; ${env.concurrency} reads in flight ` +
      `for ${env.loadSeconds} s a run while recordTrades records one open trade every second (both sides), which ` +
      "invalidates the dashboard; every answer's trade count checked to include every trade recorded before the read began; " +
      `${table}`,
    extra: {
      hitRatio: round(median(service.map((run) => run.hitRatio ?? 0)), 4),
      hitRatioRuns: service.map((run) => round(run.hitRatio ?? 0, 4)),
      missesPerRun: service.map((run) => run.misses ?? 0),
      writesPerRun: service.map((run) => run.writes),
      queriesPerRead: {
        baseline: meanOf(before.map((run) => run.queriesPerRead)),
        value: round(median(service.map((run) => run.queriesPerRead)), 5),
      },
    },
  };
  return [...perRead, load];
}
