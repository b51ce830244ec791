/** One measured run of one side (mesh or baseline) of a case. */
export interface LoadResult {
  /** Correct answers per second over the run. */
  perSecond: number;
  /** Latency percentiles of the correct answers, in milliseconds. */
  p50: number;
  p99: number;
  /** Correct answers. */
  completed: number;
  /** Failed, refused or wrong answers. */
  errors: number;
  /** What went wrong, when something did. */
  errorDetail?: string;
}
