import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { currentRequestStats, recordStat, withRequestStats, withSpanAndStats } from './request-stats.js';

// No telemetry started in this file: the API's context carries nothing across an await, so
// the scopes live in a storage of their own.
describe('request stats without telemetry', () => {
  it('counts a call scope and its enclosing scope across awaits', async () => {
    const span = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0 });
    const outer = await withRequestStats(async () => {
      recordStat('dbQueries');
      const inner = await withSpanAndStats(ROOT_CONTEXT, span, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        recordStat('dbQueries', 2);
        return currentRequestStats()?.dbQueries;
      });
      return inner;
    });
    expect(outer.result).toEqual({ result: 2, stats: expect.objectContaining({ dbQueries: 2 }) });
    expect(outer.stats.dbQueries).toBe(3);
    expect(currentRequestStats()).toBeUndefined();
  });
});
