import { globToRegExp } from './glob.js';

export interface L1Entry {
  /** The stored entry as in Redis. */
  raw: string;
  /**
   * The value already decoded, when it is plain data (`isPlainData`): this copy is the L1's
   * own, and every hit hands out a copy of it, so callers never share an object. Absent:
   * `raw` is decoded on every hit.
   */
  decoded?: { value: unknown };
  freshUntil: number;
  /** After this the entry is gone, stale or not. */
  expiresAt: number;
  namespace: string;
  tags: readonly string[];
}

export interface L1Options {
  maxEntries: number;
  /** The longest an entry is trusted in process, whatever its own TTL. */
  ttlMs: number;
  now?: () => number;
}

export interface L1Cache {
  get(key: string): L1Entry | undefined;
  set(key: string, entry: L1Entry): void;
  delete(keys: readonly string[]): void;
  /** Drops the namespace's keys matching a Redis glob (`*` for all of it). */
  dropPattern(namespace: string, head: string, pattern: string): void;
  dropTag(tag: string): void;
  /**
   * Keeps the entries only as a last resort (stale), for when invalidations may have been
   * missed: the bus was disconnected.
   */
  demoteAll(): void;
  readonly size: number;
  /**
   * Moves on every drop (delete, pattern, tag, demotion). A read that saw one value must not
   * put it in the L1 if the generation moved while it was on its way: the drop may have been
   * for exactly that value.
   */
  readonly generation: number;
}

/** A small in-process LRU in front of Redis, for the namespaces that opt in. */
export function createL1Cache({ maxEntries, ttlMs, now = Date.now }: L1Options): L1Cache {
  const entries = new Map<string, L1Entry>();
  let generation = 0;
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      // Re-insert: Map order is the LRU order.
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    set(key, entry) {
      entries.delete(key);
      // Fresh in process for at most `ttlMs`; kept until its grace ends as a last resort.
      entries.set(key, { ...entry, freshUntil: Math.min(entry.freshUntil, now() + ttlMs) });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(keys) {
      generation++;
      for (const key of keys) entries.delete(key);
    },
    dropPattern(namespace, head, pattern) {
      generation++;
      const matches = globToRegExp(`${head}:${pattern}`);
      for (const [key, entry] of entries) {
        if (entry.namespace === namespace && (pattern === '*' || matches.test(key))) entries.delete(key);
      }
    },
    dropTag(tag) {
      generation++;
      for (const [key, entry] of entries) if (entry.tags.includes(tag)) entries.delete(key);
    },
    demoteAll() {
      generation++;
      for (const entry of entries.values()) entry.freshUntil = 0;
    },
    get size() {
      return entries.size;
    },
    get generation() {
      return generation;
    },
  };
}
