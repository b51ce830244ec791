import type { BusMessage } from './bus-message.js';
import type { CacheStore } from './cache-store.js';
import { TOMBSTONE_MS } from './entry.js';

/** Past this many owed keys, recovery clears the whole service's keys instead. */
const MAX_OWED_KEYS = 10_000;

/**
 * Invalidations that could not reach Redis (it was down or slow). Redis may still hold
 * the values they were meant to remove, so they are replayed before the cache uses Redis
 * again: a reader never gets a value that was invalidated during an outage.
 */
export interface OwedInvalidations {
  keys(keys: readonly string[]): void;
  pattern(namespace: string, pattern: string): void;
  tag(tag: string): void;
  readonly size: number;
  /** Replays everything owed; resolves with what was replayed (for the bus). */
  settle(store: CacheStore): Promise<BusMessage[]>;
}

export function createOwedInvalidations(): OwedInvalidations {
  let keys = new Set<string>();
  let patterns = new Map<string, Set<string>>();
  let tags = new Set<string>();
  let everything = false;

  return {
    keys(found) {
      if (everything) return;
      for (const key of found) keys.add(key);
      if (keys.size > MAX_OWED_KEYS) {
        everything = true;
        keys = new Set();
      }
    },
    pattern(namespace, pattern) {
      const owed = patterns.get(namespace) ?? new Set<string>();
      owed.add(pattern);
      patterns.set(namespace, owed);
    },
    tag(tag) {
      tags.add(tag);
    },
    get size() {
      return keys.size + patterns.size + tags.size + (everything ? 1 : 0);
    },
    async settle(store) {
      const messages: BusMessage[] = [];
      if (everything) {
        await store.clear();
        messages.push({ all: true });
        everything = false;
      }
      if (keys.size > 0) {
        const found = [...keys];
        await store.tombstone(found, TOMBSTONE_MS);
        messages.push({ keys: found });
        keys = new Set();
      }
      for (const [namespace, owed] of patterns) {
        for (const pattern of owed) {
          await store.invalidateNamespace(namespace, pattern);
          messages.push({ namespace, pattern });
        }
      }
      patterns = new Map();
      for (const tag of tags) {
        await store.invalidateTag(tag);
        messages.push({ tag });
      }
      tags = new Set();
      return messages;
    },
  };
}
