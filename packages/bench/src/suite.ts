/**
 * One comparison a suite measured: the mesh (`value`) against a baseline, once per run.
 * The runner turns the runs into medians and the ratio, so every suite reports alike.
 */
export interface SuiteCase {
  name: string;
  /** Unit of the figures, e.g. `req/s`, `ms`. */
  metric: string;
  /** Which way is better for this metric; decides how the ratio is taken. */
  better: 'higher' | 'lower';
  baselineRuns: readonly number[];
  valueRuns: readonly number[];
  /** Failed or wrong answers over every run of both sides; non-zero marks the case. */
  errors: number;
  /** How it was measured: load, settings, what the baseline is. */
  notes: string;
  /** Further fields written into the case as they are (e.g. a per-run detail). */
  extra?: Readonly<Record<string, unknown>>;
}

export interface SuiteResult {
  cases: readonly SuiteCase[];
}

export interface SuiteRunOptions {
  /** A line of progress, for a human watching a long run. */
  progress(line: string): void;
}

export interface Suite {
  run(options: SuiteRunOptions): Promise<SuiteResult>;
}

/** One row of the suite table: what it measures, and its code, loaded only when run. */
export interface SuiteEntry {
  summary: string;
  load(): Promise<Suite>;
}
