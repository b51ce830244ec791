import { median } from '@mesh/bench';

import { withRequestStats } from '@mesh/telemetry';

export interface ReadRun {
  /** Median milliseconds per read. */
  msPerRead: number;
  /** Mean SQL round trips per read. */
  queriesPerRead: number;
  reads: number;
  /** Reads that failed or answered wrong. */
  errors: number;
}

export interface MeasureReadsOptions<T> {
  read(): Promise<T>;
  /** False when an answer is wrong. */
  check(answer: T): boolean;
  /** Untimed work before each read (emptying the cache for an uncached read). */
  before?: () => Promise<unknown>;
  budgetMs: number;
  minReads?: number;
}

/** Reads one at a time for `budgetMs` (at least `minReads`), timing each and checking every answer. */
export async function measureReads<T>({
  read,
  check,
  before,
  budgetMs,
  minReads = 3,
}: MeasureReadsOptions<T>): Promise<ReadRun> {
  const times: number[] = [];
  let queries = 0;
  let errors = 0;
  const started = performance.now();
  while (times.length < minReads || performance.now() - started < budgetMs) {
    await before?.();
    const t0 = performance.now();
    try {
      const { result, stats } = await withRequestStats(read);
      times.push(performance.now() - t0);
      queries += stats.dbQueries;
      if (!check(result)) errors++;
    } catch {
      times.push(performance.now() - t0);
      errors++;
    }
  }
  return { msPerRead: median(times), queriesPerRead: queries / times.length, reads: times.length, errors };
}

export interface LoadRun {
  readsPerSecond: number;
  /** Mean SQL round trips per read. */
  queriesPerRead: number;
  reads: number;
  /** Trades recorded during the run (one a second). */
  writes: number;
  errors: number;
}

export interface MeasureLoadOptions<T> {
  read(): Promise<T>;
  /**
   * False when an answer is wrong. `completedWrites` were acknowledged before the read began,
   * `startedWrites` had begun when it ended: a fresh answer lies between them.
   */
  check(answer: T, writes: { completedWrites: number; startedWrites: number }): boolean;
  /** Records a trade; called once a second, outside the reads' query count. */
  write(): Promise<unknown>;
  seconds: number;
  concurrency: number;
}

/** `concurrency` readers back to back for `seconds`, while `write` runs once a second. */
export async function measureLoad<T>({
  read,
  check,
  write,
  seconds,
  concurrency,
}: MeasureLoadOptions<T>): Promise<LoadRun> {
  let startedWrites = 0;
  let completedWrites = 0;
  let errors = 0;
  let reads = 0;
  const writes: Array<Promise<unknown>> = [];
  // Started here, outside the readers' stats scope, so the writes' SQL is not counted as reads'.
  const timer = setInterval(() => {
    startedWrites++;
    writes.push(
      write().then(
        () => completedWrites++,
        () => errors++,
      ),
    );
  }, 1000);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const reader = async () => {
    while (performance.now() < deadline) {
      const completed = completedWrites;
      try {
        const answer = await read();
        if (!check(answer, { completedWrites: completed, startedWrites })) errors++;
      } catch {
        errors++;
      }
      reads++;
    }
  };
  try {
    const { stats } = await withRequestStats(() => Promise.all(Array.from({ length: concurrency }, reader)));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(timer);
    await Promise.all(writes);
    return {
      readsPerSecond: reads / elapsed,
      queriesPerRead: stats.dbQueries / Math.max(1, reads),
      reads,
      writes: startedWrites,
      errors,
    };
  } finally {
    clearInterval(timer);
  }
}
