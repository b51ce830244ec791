import type { LoadResult } from './load-result.js';
import { percentile } from './percentile.js';

export interface LoadCallerOptions {
  /** Makes call number `n` and resolves whether its answer was right. */
  call(n: number): Promise<boolean>;
  inFlight: number;
  durationS: number;
  warmupS: number;
}

/**
 * Keeps `inFlight` calls going for `durationS` (after a discarded warm-up), each worker
 * starting its next call as soon as its last one answered, and times every call.
 */
export async function loadCaller({ warmupS, durationS, ...options }: LoadCallerOptions): Promise<LoadResult> {
  if (warmupS > 0) await drive(options, warmupS);
  return drive(options, durationS);
}

async function drive(
  { call, inFlight }: Pick<LoadCallerOptions, 'call' | 'inFlight'>,
  durationS: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let errorDetail: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const n = next++;
      const callStarted = performance.now();
      try {
        if (await call(n)) {
          latencies.push(performance.now() - callStarted);
          continue;
        }
        errorDetail ??= `call ${n} answered wrongly`;
      } catch (error) {
        errorDetail ??= error instanceof Error ? error.message : String(error);
      }
      errors++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / elapsedS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    completed: latencies.length,
    errors,
    ...(errorDetail !== undefined && { errorDetail: `${errors} failed; first: ${errorDetail}` }),
  };
}
