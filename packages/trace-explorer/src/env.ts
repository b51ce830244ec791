import { traceExplorer } from '@mesh/catalogue';
import { parseEnv } from '@mesh/config';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  TRACE_EXPLORER_PORT: z.coerce.number().int().min(0).max(65535).default(traceExplorer.httpPort),
  /** Loopback by default: the explorer has no authentication. */
  TRACE_EXPLORER_HOST: z.string().min(1).default('127.0.0.1'),
  TRACE_EXPLORER_MAX_TRACES: positiveInt.default(2_000),
  TRACE_EXPLORER_MAX_BYTES: positiveInt.default(64 * 1024 * 1024),
  TRACE_EXPLORER_MAX_SPANS: positiveInt.default(200_000),
  TRACE_EXPLORER_MAX_LOGS: positiveInt.default(20_000),
  TRACE_EXPLORER_MAX_LOG_BYTES: positiveInt.default(16 * 1024 * 1024),
  /** Repeats of one statement shape (or one procedure call) under one span that make an N+1 finding. */
  TRACE_EXPLORER_N_PLUS_ONE: z.coerce.number().int().min(2).default(5),
  /** Separate missed lookups of one cache namespace in one trace that make a miss storm. */
  TRACE_EXPLORER_MISS_STORM: z.coerce.number().int().min(2).default(10),
  /** Largest OTLP request accepted (the OTel SDK sends at most 512 spans a batch). */
  TRACE_EXPLORER_BODY_LIMIT_BYTES: positiveInt.default(16 * 1024 * 1024),
});

export type TraceExplorerEnv = z.infer<typeof schema>;

/** The explorer's settings; throws naming the bad variable. */
export function readTraceExplorerEnv(
  source: Record<string, string | undefined> = process.env,
): TraceExplorerEnv {
  return parseEnv(schema, source);
}
