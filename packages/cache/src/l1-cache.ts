import { globToRegExp } from './glob.js';

/**
 * A value this process keeps, and the version it was read with. It answers only while
 * Redis still holds `version` on the key's bucket (checked on every read, in the read's one
 * MGET), so it can never outlive an invalidation that completed anywhere.
 */
export interface L1Entry {
  /**
   * The value already decoded, when it is plain data (`isPlainData`): this copy is the L1's
   * own, and every hit hands out a copy of it, so callers never share an object.
   */
  decoded?: { value: unknown };
  /** The stored entry as in Redis, kept instead when the value is not plain data (decoded per hit). */
  raw?: string;
  freshUntil: number;
  /** After this the entry is gone, stale or not. */
  expiresAt: number;
  namespace: string;
  tags: readonly string[];
  /** The key's version bucket (`bucketOf`). */
  bucket: number;
  /** The bucket's version read in the same MGET (or script) as the value, or before its load. */
  version: string;
}

export interface L1Options {
  maxEntries: number;
  /** The longest an entry is kept fresh in process, whatever its own TTL. */
  ttlMs: number;
  now?: () => number;
}

/**
 * The L1's store. The drops are memory hygiene (an entry that will not validate again is
 * better gone now than met on the next read); what it answers is decided by the versions.
 */
export interface L1Cache {
  /** `at`: the time to judge expiry by (a batch passes one reading for all its keys). */
  get(key: string, at?: number): L1Entry | undefined;
  set(key: string, entry: L1Entry): void;
  delete(keys: readonly string[]): void;
  /** Drops the namespace's keys matching a Redis glob (`*` for all of it). */
  dropPattern(namespace: string, head: string, pattern: string): void;
  dropTag(tag: string): void;
  dropAll(): void;
  readonly size: number;
}

/** An entry as the L1 holds it: its own copy, and whether it was read since it last came round. */
interface Held extends L1Entry {
  used: boolean;
}

/**
 * A small in-process cache in front of Redis, for the calls that opt in. Recency is
 * "second chance" (CLOCK) rather than a strict LRU: a hit only marks its entry used, and
 * when the L1 is full the oldest entry goes unless it was used since it came round, in which
 * case it moves to the back unmarked and the next oldest is looked at. A strict LRU moved
 * the entry (a Map delete and insert) on every hit, the largest per-key cost of a warm batch
 * read; this way a hit is one lookup and a flag.
 */
export function createL1Cache({ maxEntries, ttlMs, now = Date.now }: L1Options): L1Cache {
  const entries = new Map<string, Held>();
  function evictOne() {
    for (const [key, entry] of entries) {
      entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      entries.set(key, entry);
    }
  }
  return {
    get(key, at = now()) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= at) {
        entries.delete(key);
        return undefined;
      }
      entry.used = true;
      return entry;
    },
    set(key, entry) {
      entries.delete(key);
      if (maxEntries < 1) return;
      // Room first, so the newcomer is never the one evicted for it.
      if (entries.size >= maxEntries) evictOne();
      // Fresh in process for at most `ttlMs`; kept until its grace ends as a last resort.
      entries.set(key, { ...entry, freshUntil: Math.min(entry.freshUntil, now() + ttlMs), used: false });
    },
    delete(keys) {
      for (const key of keys) entries.delete(key);
    },
    dropPattern(namespace, head, pattern) {
      const matches = globToRegExp(`${head}:${pattern}`);
      for (const [key, entry] of entries) {
        if (entry.namespace === namespace && (pattern === '*' || matches.test(key))) entries.delete(key);
      }
    },
    dropTag(tag) {
      for (const [key, entry] of entries) if (entry.tags.includes(tag)) entries.delete(key);
    },
    dropAll() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
