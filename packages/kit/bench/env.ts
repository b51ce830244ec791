import { serviceEnvSource } from '@mesh/bench';
import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { type KitEnv, kitEnvShape } from '@mesh/kit';
import { z } from 'zod';

const seconds = (fallback: number, min: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).default(fallback));

const benchSchema = z.object({
  /** Seconds each measured case runs. `BENCH_DURATION_S=1` makes a quick smoke run. */
  BENCH_DURATION_S: seconds(10, 1),
  /** Seconds of discarded load before each measured case (JIT, connection pools). */
  BENCH_WARMUP_S: seconds(2, 0),
  /** Repetitions of every case; the report gives the median of them. */
  BENCH_RUNS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(3)),
  /** autocannon connections, and calls in flight for the caller view. */
  BENCH_CONNECTIONS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(50)),
});

export interface BenchEnv {
  durationS: number;
  warmupS: number;
  runs: number;
  connections: number;
}

/** The load generator's settings; throws naming the bad variable. */
export function readBenchEnv(source: Record<string, string | undefined> = process.env): BenchEnv {
  const parsed = parseEnv(benchSchema, source);
  return {
    durationS: parsed.BENCH_DURATION_S,
    warmupS: parsed.BENCH_WARMUP_S,
    runs: parsed.BENCH_RUNS,
    connections: parsed.BENCH_CONNECTIONS,
  };
}

/** The server process's kit settings, from the environment its parent gave it. */
export function readRpcServerEnv(source: Record<string, string | undefined> = process.env): KitEnv {
  return parseEnv(z.object(kitEnvShape), source);
}

/**
 * How the server process traces (BENCH_TRACING): `local` (the default, as a service without
 * an exporter: spans made, none sent), `off` (no tracer provider: the API's no-op spans), or
 * `export` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, as under `mesh up`). BENCH_EXPORT_THREAD
 * says where its spans are posted from: `worker`, as in a service, or `main`, as the SDK's
 * exporter does, for a comparison.
 */
export function readBenchTracing(source: Record<string, string | undefined> = process.env) {
  return parseEnv(
    z.object({
      BENCH_TRACING: z.enum(['off', 'local', 'export']).default('local'),
      BENCH_EXPORT_THREAD: z.enum(['worker', 'main']).default('worker'),
      OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
      OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(
        emptyAsUndefined,
        z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
      ),
    }),
    source,
  );
}

/** The environment the load generator starts the server process with. */
export function rpcServerEnv(token: string): Record<string, string> {
  const source = serviceEnvSource({ MESH_SERVICE_TOKEN: token, HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * How the bench's server processes run their TypeScript (BENCH_RUNNER): `shipped` (the default,
 * as the image does: `deploy/image/run-as-shipped.mjs`) or `tsx`.
 */
export function readBenchRunner(source: Record<string, string | undefined> = process.env): 'shipped' | 'tsx' {
  return parseEnv(z.object({ BENCH_RUNNER: z.enum(['shipped', 'tsx']).default('shipped') }), source)
    .BENCH_RUNNER;
}
