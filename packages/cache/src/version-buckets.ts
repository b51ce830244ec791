import { randomBytes } from 'node:crypto';

/**
 * Every namespace has this many version buckets, and every key belongs to one of them
 * (`bucketOf`). A bucket's version is an opaque random token, replaced by every invalidation
 * that can change what a key of the bucket answers, in the same atomic step. An L1 entry
 * remembers the token read in the same MGET as its value and answers only while Redis still
 * holds that token.
 *
 * The 64 tokens of a namespace live side by side in one Redis string (`Keyspace.versionKey`,
 * `VERSION_WIDTH` characters each, bucket b at b * VERSION_WIDTH): a read asks for one key
 * per namespace however many buckets its keys fall in, and an invalidation of a few keys
 * rewrites their buckets' characters (SETRANGE) in its own script. (One key per bucket was
 * built first and measured: an MGET of the ~53 version keys of 100 ids took 0.12-0.15 ms,
 * one key 0.04 ms, on the same machine in the same minute; docs/benchmarks.md.)
 *
 * An invalidation replaces versions only where the string exists: a namespace with none
 * validates nothing, so there is nothing to move, and namespaces no L1 reads get no version
 * key at all. A reader that finds none sets a fresh one (`SET NX`, `seedVersions`) and fills
 * its L1 from the next read on. The key lives `BOOKKEEPING_TTL_MS` from its last change;
 * once it lapses or is evicted it reads as null, and null validates nothing. A string of any
 * other length than `VERSIONS_LENGTH` is treated as null too.
 *
 * 64 buckets: a write to one key sends a re-read to about one in 64 of the entries of its
 * namespace that other instances hold.
 */
export const VERSION_BUCKETS = 64;

/** Characters per bucket token: 12 base64url characters, 72 random bits. */
export const VERSION_WIDTH = 12;

/** The length of a namespace's version string. */
export const VERSIONS_LENGTH = VERSION_BUCKETS * VERSION_WIDTH;

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
 * A new token for one bucket: random, never a counter (a counter that expired or was
 * evicted would start again and could repeat a token an L1 entry still holds).
 */
export function newVersionToken(): string {
  return randomBytes((VERSION_WIDTH * 3) / 4).toString('base64url');
}

/** A whole new version string: a fresh token for every bucket of a namespace. */
export function newVersions(): string {
  return randomBytes((VERSIONS_LENGTH * 3) / 4).toString('base64url');
}

/** The token of `bucket` in a namespace's version string, or null when there is none (or it is malformed). */
export function versionOf(versions: string | null | undefined, bucket: number): string | null {
  if (typeof versions !== 'string' || versions.length !== VERSIONS_LENGTH) return null;
  return versions.slice(bucket * VERSION_WIDTH, (bucket + 1) * VERSION_WIDTH);
}

/** Whether a namespace's version string still holds `token` for `bucket` (no copy made). */
export function holdsVersion(versions: string | null | undefined, bucket: number, token: string): boolean {
  return (
    typeof versions === 'string' &&
    versions.length === VERSIONS_LENGTH &&
    versions.startsWith(token, bucket * VERSION_WIDTH)
  );
}

/** Every bucket of a namespace. */
export const ALL_BUCKETS: readonly number[] = Array.from({ length: VERSION_BUCKETS }, (_, bucket) => bucket);
