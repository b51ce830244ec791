import type { LoadResult } from './load-result.js';

/** One comparison, shaped as the bench runner (packages/cli/src/bench) takes it. */
export interface MeasuredCase {
  name: string;
  metric: string;
  better: 'higher' | 'lower';
  baselineRuns: number[];
  valueRuns: number[];
  errors: number;
  notes: string;
  extra?: Record<string, unknown>;
}

/** Every run of one view: the mesh side and the baseline side, in run order. */
export interface ViewSamples {
  mesh: LoadResult[];
  baseline: LoadResult[];
}

export interface ViewCasesOptions {
  /** `server` or `caller`: prefixes each case name. */
  view: string;
  /** Unit of the throughput case, e.g. `req/s`. */
  rate: string;
  samples: ViewSamples;
  notes: string;
  extra?: Record<string, unknown>;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Throughput, p50 and p99 cases for one view; failures of either side mark all three. */
export function viewCases({ view, rate, samples, notes, extra }: ViewCasesOptions): MeasuredCase[] {
  const all = [...samples.mesh, ...samples.baseline];
  const errors = all.reduce((total, result) => total + result.errors, 0);
  const details = all.flatMap((result) => (result.errorDetail ? [result.errorDetail] : []));
  const fullNotes = details.length > 0 ? `${notes}; failures: ${details.join(' | ')}` : notes;
  const figure = (metric: 'perSecond' | 'p50' | 'p99') => ({
    baselineRuns: samples.baseline.map((result) => round2(result[metric])),
    valueRuns: samples.mesh.map((result) => round2(result[metric])),
    errors,
    notes: fullNotes,
    ...(extra && { extra }),
  });
  return [
    { name: `${view} throughput`, metric: rate, better: 'higher', ...figure('perSecond') },
    { name: `${view} p50 latency`, metric: 'ms', better: 'lower', ...figure('p50') },
    { name: `${view} p99 latency`, metric: 'ms', better: 'lower', ...figure('p99') },
  ];
}
