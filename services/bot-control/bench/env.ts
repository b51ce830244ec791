import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const positive = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

const schema = z.object({
  /** Repetitions of every case; the report gives the median of them. */
  BENCH_RUNS: positive(3),
  /** Commands per run for the subscription latency (mesh side) and the polling side. */
  BENCH_COMMANDS: positive(200),
  /** The polling baseline spreads its commands over this window (it polls every 5 s). */
  BENCH_POLL_WINDOW_MS: positive(20_000),
  /** Button presses per run, and how many are in flight at once. */
  BENCH_UPDATES: positive(200),
  BENCH_UPDATE_CONCURRENCY: positive(10),
  /** Jobs per run for throughput. */
  BENCH_JOBS: positive(1000),
});

/** The suite's settings; throws naming the bad variable. */
export function readBenchEnv(source: Record<string, string | undefined> = process.env) {
  const parsed = parseEnv(schema, source);
  return {
    runs: parsed.BENCH_RUNS,
    commands: parsed.BENCH_COMMANDS,
    pollWindowMs: parsed.BENCH_POLL_WINDOW_MS,
    updates: parsed.BENCH_UPDATES,
    updateConcurrency: parsed.BENCH_UPDATE_CONCURRENCY,
    jobs: parsed.BENCH_JOBS,
  };
}

export type BotControlBenchEnv = ReturnType<typeof readBenchEnv>;
