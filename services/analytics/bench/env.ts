import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const int = (fallback: number, min: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).default(fallback));

const schema = z.object({
  /** Repetitions of every side; the report gives medians. */
  BENCH_RUNS: int(3, 1),
  /** Milliseconds each side of a per-read case is timed per run (at least 3 reads). */
  BENCH_CASE_MS: int(2000, 1),
  /** Seconds each side of the throughput case runs per run (a trade is recorded every second). */
  BENCH_ANALYTICS_LOAD_S: int(10, 2),
  /** Reads in flight during the throughput case. */
  BENCH_ANALYTICS_CONCURRENCY: int(16, 1),
  /** Trades in the table (one generate_series INSERT). */
  BENCH_ANALYTICS_TRADES: int(100_000, 2000),
});

export interface AnalyticsBenchEnv {
  runs: number;
  caseMs: number;
  loadSeconds: number;
  concurrency: number;
  trades: number;
}

/** The analytics suite's settings; throws naming the bad variable. */
export function readBenchEnv(source: Record<string, string | undefined> = process.env): AnalyticsBenchEnv {
  const parsed = parseEnv(schema, source);
  return {
    runs: parsed.BENCH_RUNS,
    caseMs: parsed.BENCH_CASE_MS,
    loadSeconds: parsed.BENCH_ANALYTICS_LOAD_S,
    concurrency: parsed.BENCH_ANALYTICS_CONCURRENCY,
    trades: parsed.BENCH_ANALYTICS_TRADES,
  };
}
