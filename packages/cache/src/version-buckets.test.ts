import { describe, expect, it } from 'vitest';
import { createKeyspace } from './keyspace.js';
import { bucketOf, bucketsOf, newVersionToken, VERSION_BUCKETS } from './version-buckets.js';

describe('version buckets', () => {
  it('puts a key in the same bucket every time, in range', () => {
    const keys = createKeyspace({ service: 'user-cache', prefix: 'test-1:' });
    const key = keys.key('user', 42n);
    expect(bucketOf(key)).toBe(bucketOf(`test-1:user-cache:user:${42}`));
    for (let id = 0; id < 1000; id++) {
      const bucket = bucketOf(keys.key('user', id));
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < VERSION_BUCKETS).toBe(true);
    }
  });

  it('spreads ids that differ in their last digits over every bucket', () => {
    const keys = createKeyspace({ service: 'user-cache' });
    const counts = new Array<number>(VERSION_BUCKETS).fill(0);
    const ids = 64_000;
    for (let id = 1; id <= ids; id++) {
      const bucket = bucketOf(keys.key('user', id));
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    const mean = ids / VERSION_BUCKETS;
    expect(Math.min(...counts)).toBeGreaterThan(mean * 0.8);
    expect(Math.max(...counts)).toBeLessThan(mean * 1.2);
  });

  it('names each bucket once', () => {
    expect(bucketsOf(['a', 'a', 'b']).length).toBeLessThanOrEqual(2);
    expect(new Set(bucketsOf(['a', 'a'])).size).toBe(1);
  });

  it('makes versions that do not repeat', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, newVersionToken));
    expect(tokens.size).toBe(10_000);
  });
});
