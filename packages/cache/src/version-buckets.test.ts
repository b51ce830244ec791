import { describe, expect, it } from 'vitest';
import { createKeyspace } from './keyspace.js';
import {
  bucketOf,
  bucketsOf,
  holdsVersion,
  newVersions,
  newVersionToken,
  VERSION_BUCKETS,
  VERSION_WIDTH,
  VERSIONS_LENGTH,
  versionOf,
} from './version-buckets.js';

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

  it('makes tokens that do not repeat, of one width, and version strings of 64 of them', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, newVersionToken));
    expect(tokens.size).toBe(10_000);
    expect([...tokens].every((token) => token.length === VERSION_WIDTH)).toBe(true);
    const versions = newVersions();
    expect(versions).toHaveLength(VERSIONS_LENGTH);
    expect(
      new Set(Array.from({ length: VERSION_BUCKETS }, (_, bucket) => versionOf(versions, bucket))).size,
    ).toBe(VERSION_BUCKETS);
  });

  it("reads a bucket's token out of a version string, and nothing out of a missing or malformed one", () => {
    const versions = newVersions();
    const token = versionOf(versions, 5) as string;
    expect(versions.slice(5 * VERSION_WIDTH, 6 * VERSION_WIDTH)).toBe(token);
    expect(holdsVersion(versions, 5, token)).toBe(true);
    expect(holdsVersion(versions, 6, token)).toBe(false);
    const moved =
      versions.slice(0, 5 * VERSION_WIDTH) + newVersionToken() + versions.slice(6 * VERSION_WIDTH);
    expect(holdsVersion(moved, 5, token)).toBe(false);
    for (const bad of [null, undefined, '', versions.slice(1)]) {
      expect(versionOf(bad, 5)).toBeNull();
      expect(holdsVersion(bad, 5, token)).toBe(false);
    }
  });
});
