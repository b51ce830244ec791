import { median, type SuiteCase } from '@mesh/bench';
import type { UserCacheBenchEnv } from './env.js';
import type { Measured } from './measure.js';

export interface SideRuns {
  baseline: Measured[];
  dataloader: Measured[];
  cold: Measured[];
  /** Warm, with the default settings: the validated L1. */
  warm: Measured[];
  /** Warm, on an instance with the L1 off (`USER_CACHE_L1_ENTRIES=0`): the Redis path. */
  warmRedis: Measured[];
}

/** One comparison, as the bench runner takes it. */
export type MeasuredCase = SuiteCase;

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const mean = (runs: Measured[], pick: (m: Measured) => number) =>
  round(runs.reduce((total, run) => total + pick(run), 0) / Math.max(1, runs.length), 2);

const subjects = {
  dataloader: 'DataLoader batching, no Redis',
  cold: 'service getUsers, cold cache',
  warm: 'service getUsers, warm cache (default: validated L1)',
  warmRedis: 'service getUsers, warm cache, L1 off (Redis only)',
} as const;

/** For each size, each subject against the findUnique loop measured in the same runs. */
export function userCacheCases(results: Map<number, SideRuns>, env: UserCacheBenchEnv): MeasuredCase[] {
  const setting =
    `${env.users.toLocaleString('en-US')} users in Postgres (a wallet for every third); random distinct ids; ` +
    `each side timed ${env.caseMs} ms per run (at least 3 calls), one call at a time, median ms per call; ` +
    'sides interleaved, order reversed every other run; all in one process (in-process caller, no HTTP); ' +
    'OpenTelemetry not started (spans are no-ops)';
  return [...results].flatMap(([size, runs]) =>
    (['dataloader', 'cold', 'warm', 'warmRedis'] as const).map((side): MeasuredCase => {
      const baselineRuns = runs.baseline.map((run) => round(run.msPerCall));
      const valueRuns = runs[side].map((run) => round(run.msPerCall));
      const dataloaderMs = median(runs.dataloader.map((run) => run.msPerCall));
      return {
        name: `${size} id${size === 1 ? '' : 's'}: ${subjects[side]}`,
        metric: 'ms/call',
        better: 'lower',
        baselineRuns,
        valueRuns,
        errors: [...runs.baseline, ...runs[side]].reduce((total, run) => total + run.errors, 0),
        notes: `baseline: the old findUnique per id in sequence; ${setting}`,
        extra: {
          queriesPerCall: {
            baseline: mean(runs.baseline, (m) => m.queriesPerCall),
            value: mean(runs[side], (m) => m.queriesPerCall),
          },
          redisRoundTripsPerCall: mean(runs[side], (m) => m.redisRoundTripsPerCall),
          callsPerRun: { baseline: runs.baseline.map((m) => m.calls), value: runs[side].map((m) => m.calls) },
          ratioVsDataLoader: side === 'dataloader' ? 1 : round(dataloaderMs / median(valueRuns), 2),
        },
      };
    }),
  );
}
