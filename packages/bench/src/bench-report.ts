import { cpus } from 'node:os';
import { median } from './median.js';
import { ratioOf } from './ratio.js';
import type { SuiteCase, SuiteResult } from './suite.js';

/** One case as written to `bench/results/<suite>.json`. */
export interface BenchCase {
  name: string;
  metric: string;
  baseline: number;
  value: number;
  /** How many times better than the baseline (bigger is better); null when undefined. */
  ratio: number | null;
  notes: string;
  [extra: string]: unknown;
}

/** The file `bench/results/<suite>.json`. */
export interface BenchReport {
  suite: string;
  node: string;
  cpus: number;
  date: string;
  cases: BenchCase[];
}

export interface BuildReportOptions {
  date?: Date;
  node?: string;
  cpus?: number;
}

const reserved = new Set(['name', 'metric', 'baseline', 'value', 'ratio', 'notes', 'errors', 'runs']);
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Medians of each side's runs, the ratio, and notes that say how the figure was taken. */
export function buildReport(
  suite: string,
  result: SuiteResult,
  options: BuildReportOptions = {},
): BenchReport {
  const { date = new Date(), node = process.version, cpus: cpuCount = cpus().length } = options;
  return { suite, node, cpus: cpuCount, date: date.toISOString(), cases: result.cases.map(toBenchCase) };
}

function toBenchCase(suiteCase: SuiteCase): BenchCase {
  const { name, metric, better, baselineRuns, valueRuns, errors, notes, extra = {} } = suiteCase;
  const baseline = median(baselineRuns);
  const value = median(valueRuns);
  const ratio = ratioOf(better, baseline, value);
  const runs = Math.min(baselineRuns.length, valueRuns.length);
  const warning = errors > 0 ? `ERRORS: ${errors} failed or wrong answers, figures not trustworthy; ` : '';
  const extras = Object.entries(extra).filter(([key]) => !reserved.has(key));
  return {
    name,
    metric,
    baseline: round2(baseline),
    value: round2(value),
    ratio: ratio === null ? null : Number(ratio.toPrecision(3)),
    notes: `${warning}median of ${runs} run${runs === 1 ? '' : 's'}; ${notes}`,
    errors,
    runs: { baseline: [...baselineRuns], value: [...valueRuns] },
    ...Object.fromEntries(extras),
  };
}
