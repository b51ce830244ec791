import { randomBytes } from 'node:crypto';

/**
 * Every namespace has this many version buckets, and every key belongs to one of them
 * (`bucketOf`). A bucket's version is an opaque random token in Redis
 * (`Keyspace.versionKey`), replaced by every invalidation that can change what a key of
 * the bucket answers, in the same atomic step. An L1 entry remembers the token read in the
 * same MGET as its value and answers only while Redis still holds that token.
 *
 * An invalidation replaces only the versions that exist (`SET XX`): a bucket with no version
 * validates nothing, so there is nothing to move, and namespaces no L1 reads get no version
 * keys at all. A reader that finds none sets one (`SET NX`, `seedVersions`) and fills its L1
 * from the next read on. Version keys live `BOOKKEEPING_TTL_MS` from their last change; one
 * that lapses or is evicted reads as null, and null validates nothing.
 *
 * 64: a read of 100 keys asks for at most 64 short tokens (about 50 distinct ones), and a
 * write to one key sends a re-read to about one in 64 of the entries other instances hold.
 */
export const VERSION_BUCKETS = 64;

/**
 * The bucket of a key: FNV-1a over the whole key, mixed (murmur3's finaliser: FNV alone
 * spreads ids that differ in their last digits unevenly), scaled to the bucket count. Every
 * instance computes the same bucket for the same key string.
 */
export function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return Math.floor(((hash >>> 0) * VERSION_BUCKETS) / 2 ** 32);
}

/** The distinct buckets of some keys. */
export function bucketsOf(keys: readonly string[]): number[] {
  return [...new Set(keys.map(bucketOf))];
}

/**
 * A new version: random, never a counter (a counter that expired or was evicted would
 * start again and could repeat a token an L1 entry still holds). 96 bits.
 */
export function newVersionToken(): string {
  return randomBytes(12).toString('base64url');
}

/** Every bucket of a namespace, for invalidations that reach all its keys. */
export const ALL_BUCKETS: readonly number[] = Array.from({ length: VERSION_BUCKETS }, (_, bucket) => bucket);
