import { describe, expect, it } from 'vitest';
import { processBatch } from './process-batch.js';

describe('processBatch', () => {
  it('hands consecutive batches to the handler one at a time and returns results in order', async () => {
    const seen: number[][] = [];
    let running = 0;
    let overlap = false;
    const results = await processBatch({
      items: [1, 2, 3, 4, 5, 6, 7],
      batchSize: 3,
      pauseMs: 10,
      handle: async (batch, index) => {
        running += 1;
        overlap ||= running > 1;
        seen.push(batch);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return index;
      },
    });
    expect(seen).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(results).toEqual([0, 1, 2]);
    expect(overlap).toBe(false);
  });

  it('stops between batches when aborted and refuses a batch size below 1', async () => {
    const controller = new AbortController();
    const seen: number[][] = [];
    const run = processBatch({
      items: [1, 2, 3, 4],
      batchSize: 2,
      pauseMs: 60_000,
      signal: controller.signal,
      handle: async (batch) => {
        seen.push(batch);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([[1, 2]]);
    await expect(
      processBatch({ items: [1], batchSize: 0, pauseMs: 0, handle: async () => 1 }),
    ).rejects.toThrow(RangeError);
  });
});
