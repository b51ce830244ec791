import { median } from '@mesh/bench';
import { withRequestStats } from '@mesh/telemetry';

export interface Measured {
  /** Median milliseconds per call over the calls of this run. */
  msPerCall: number;
  /** Mean SQL round trips per call. */
  queriesPerCall: number;
  /** Mean Redis round trips per call. */
  redisRoundTripsPerCall: number;
  calls: number;
  /** Calls that failed or answered wrong. */
  errors: number;
}

export interface MeasureOptions {
  /** One call for the given ids; resolves to what it answered per id (in order). */
  call(ids: bigint[]): Promise<ReadonlyArray<{ id: bigint } | null>>;
  /** The id lists to cycle through. */
  idSets: bigint[][];
  /** Untimed work before each call (e.g. emptying the cache for a cold read). */
  before?: () => Promise<unknown>;
  budgetMs: number;
  minCalls?: number;
}

/** Calls `call` for `budgetMs` (at least `minCalls` times), timing each call alone and checking every answer. */
export async function measure({
  call,
  idSets,
  before,
  budgetMs,
  minCalls = 3,
}: MeasureOptions): Promise<Measured> {
  const times: number[] = [];
  let queries = 0;
  let roundTrips = 0;
  let errors = 0;
  const started = performance.now();
  for (let i = 0; times.length < minCalls || performance.now() - started < budgetMs; i++) {
    const ids = idSets[i % idSets.length] as bigint[];
    await before?.();
    const t0 = performance.now();
    try {
      const { result, stats } = await withRequestStats(() => call(ids));
      times.push(performance.now() - t0);
      queries += stats.dbQueries;
      roundTrips += stats.redisRoundTrips;
      if (result.length !== ids.length || result.some((user, index) => user?.id !== ids[index])) errors++;
    } catch {
      times.push(performance.now() - t0);
      errors++;
    }
  }
  return {
    msPerCall: median(times),
    queriesPerCall: queries / times.length,
    redisRoundTripsPerCall: roundTrips / times.length,
    calls: times.length,
    errors,
  };
}
