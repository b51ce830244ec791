import { createRequire } from 'node:module';
import type { LoadResult } from './load-result.js';
import { percentile } from './percentile.js';

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  expectBody?: string;
  overallRate?: number;
}

/** The fields of autocannon's result this suite reads. */
interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): this;
}

// autocannon ships no types; this is the one place that touches it.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => AutocannonInstance;

export interface LoadServerOptions {
  url: string;
  headers?: Record<string, string>;
  /** The exact body every answer must have; any other counts as an error. */
  expectBody: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Requests per second across all connections (an open-loop rate); as fast as answered when unset. */
  overallRate?: number;
}

/**
 * Drives one URL with autocannon for `durationS` after a discarded warm-up. Latencies come
 * from autocannon's per-response times (sub-millisecond), not its whole-millisecond histogram.
 */
export async function loadServer({ warmupS, durationS, ...target }: LoadServerOptions): Promise<LoadResult> {
  if (warmupS > 0) await fire(target, warmupS);
  return fire(target, durationS);
}

async function fire(
  { url, headers, expectBody, connections, overallRate }: Omit<LoadServerOptions, 'durationS' | 'warmupS'>,
  durationS: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections,
    duration: durationS,
    expectBody,
    ...(headers && { headers }),
    ...(overallRate !== undefined && { overallRate }),
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const errors = result.non2xx + result.errors + result.mismatches;
  const completed = result['2xx'] - result.mismatches;
  return {
    perSecond: completed / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    completed,
    errors,
    ...(errors > 0 && {
      errorDetail: `${result.non2xx} non-2xx, ${result.mismatches} wrong bodies, ${result.errors} socket errors (${result.timeouts} timeouts)`,
    }),
  };
}
