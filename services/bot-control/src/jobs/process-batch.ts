import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessBatchOptions<TItem, TResult> {
  items: readonly TItem[];
  batchSize: number;
  /** Pause between two batches, so bulk work leaves room for everything else. */
  pauseMs: number;
  handle(batch: TItem[], index: number): Promise<TResult>;
  signal?: AbortSignal;
}

/** Runs `handle` on consecutive batches, one at a time, pausing between them; the results in order. */
export async function processBatch<TItem, TResult>(
  options: ProcessBatchOptions<TItem, TResult>,
): Promise<TResult[]> {
  const { items, batchSize, pauseMs, handle, signal } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const results: TResult[] = [];
  for (let start = 0, index = 0; start < items.length; start += batchSize, index += 1) {
    if (index > 0 && pauseMs > 0) await sleep(pauseMs, undefined, { signal });
    signal?.throwIfAborted();
    results.push(await handle(items.slice(start, start + batchSize), index));
  }
  return results;
}
