import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const int = (fallback: number, min: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).default(fallback));

const schema = z.object({
  /** Repetitions of every side; the report gives medians. */
  BENCH_RUNS: int(3, 1),
  /** Runs of the old gateway's "before" at the big size, where one run is 100,000 round trips. */
  BENCH_INGEST_BEFORE_BIG_RUNS: int(1, 1),
  /** 1: skip the old gateway's "before" at 50x2,000 with latency (one to two minutes on 2 cores). */
  BENCH_INGEST_QUICK: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  /** Simulated Telegram round trip per getMessages call, for the latency cases. */
  BENCH_INGEST_LATENCY_MS: int(150, 1),
  /** grpc suite: seconds each measured side runs (`1` for a smoke run), after a discarded warm-up. */
  BENCH_DURATION_S: int(10, 1),
  BENCH_WARMUP_S: int(2, 0),
  /** grpc suite: calls in flight on every side. */
  BENCH_CONNECTIONS: int(50, 1),
});

export interface IngestBenchEnv {
  runs: number;
  beforeBigRuns: number;
  latencyMs: number;
  quick: boolean;
  durationS: number;
  warmupS: number;
  connections: number;
}

/** The ingestion suite's settings; throws naming the bad variable. */
export function readBenchEnv(source: Record<string, string | undefined> = process.env): IngestBenchEnv {
  const parsed = parseEnv(schema, source);
  return {
    runs: parsed.BENCH_RUNS,
    beforeBigRuns: parsed.BENCH_INGEST_BEFORE_BIG_RUNS,
    latencyMs: parsed.BENCH_INGEST_LATENCY_MS,
    quick: parsed.BENCH_INGEST_QUICK === '1',
    durationS: parsed.BENCH_DURATION_S,
    warmupS: parsed.BENCH_WARMUP_S,
    connections: parsed.BENCH_CONNECTIONS,
  };
}
