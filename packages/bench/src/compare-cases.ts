import type { LoadResult } from './load-result.js';
import type { SuiteCase } from './suite.js';

export interface CompareOptions {
  /** Prefixes each case name, e.g. `server` or `caller`. */
  view: string;
  /** What is measured against the baseline, e.g. `mesh fast path`. */
  subject: string;
  /** Unit of the throughput case, e.g. `req/s`. */
  rate: string;
  baseline: LoadResult[];
  value: LoadResult[];
  notes: string;
  extra?: Record<string, unknown>;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Throughput, p50 and p99 of one subject against the baseline; failures of either side mark all three. */
export function compareCases({
  view,
  subject,
  rate,
  baseline,
  value,
  notes,
  extra,
}: CompareOptions): SuiteCase[] {
  const all = [...value, ...baseline];
  const errors = all.reduce((total, result) => total + result.errors, 0);
  const details = all.flatMap((result) => (result.errorDetail ? [result.errorDetail] : []));
  const fullNotes = details.length > 0 ? `${notes}; failures: ${details.join(' | ')}` : notes;
  const figure = (metric: 'perSecond' | 'p50' | 'p99') => ({
    baselineRuns: baseline.map((result) => round2(result[metric])),
    valueRuns: value.map((result) => round2(result[metric])),
    errors,
    notes: fullNotes,
    ...(extra && { extra }),
  });
  return [
    { name: `${view} throughput, ${subject}`, metric: rate, better: 'higher', ...figure('perSecond') },
    { name: `${view} p50 latency, ${subject}`, metric: 'ms', better: 'lower', ...figure('p50') },
    { name: `${view} p99 latency, ${subject}`, metric: 'ms', better: 'lower', ...figure('p99') },
  ];
}
