import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const positive = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

const schema = z.object({
  /** Repetitions of every case; the report gives the median of them. */
  BENCH_RUNS: positive(3),
  /** Milliseconds each side of each case is timed per run (at least 3 calls). */
  BENCH_CASE_MS: positive(1500),
  /** Users in the table the lookups pick from. */
  BENCH_USERS: positive(100_000),
});

export interface UserCacheBenchEnv {
  runs: number;
  caseMs: number;
  users: number;
}

/** The suite's settings; throws naming the bad variable. */
export function readBenchEnv(source: Record<string, string | undefined> = process.env): UserCacheBenchEnv {
  const parsed = parseEnv(schema, source);
  return { runs: parsed.BENCH_RUNS, caseMs: parsed.BENCH_CASE_MS, users: parsed.BENCH_USERS };
}
