import type { CacheStore, NamespaceRead } from './cache-store.js';
import { encodeTombstone, stillSeen } from './entry.js';
import { globToRegExp } from './glob.js';
import type { Keyspace } from './keyspace.js';

interface Slot {
  value: string | Set<string>;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** Entries kept at most; the oldest written go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The in-process fallback for when there is no Redis (`REDIS_URL=`): the same semantics
 * as the Redis store (TTLs, tombstones, epochs, tags, locks, windows) for one process.
 * Nothing is shared with other processes, so `mesh up` warns loudly when it is in use.
 */
export function createMemoryStore(keys: Keyspace, options: MemoryStoreOptions = {}): CacheStore {
  const { maxEntries = 100_000, now = Date.now } = options;
  const slots = new Map<string, Slot>();

  const live = (key: string): Slot | undefined => {
    const slot = slots.get(key);
    if (slot && slot.expiresAt <= now()) {
      slots.delete(key);
      return undefined;
    }
    return slot;
  };
  const getString = (key: string): string | null => {
    const value = live(key)?.value;
    return typeof value === 'string' ? value : null;
  };
  const put = (key: string, value: string | Set<string>, ttlMs: number) => {
    slots.delete(key);
    slots.set(key, { value, expiresAt: ttlMs > 0 ? now() + ttlMs : Number.POSITIVE_INFINITY });
    if (slots.size > maxEntries) slots.delete(slots.keys().next().value as string);
  };
  const setOf = (key: string): Set<string> => {
    const value = live(key)?.value;
    if (value instanceof Set) return value;
    const created = new Set<string>();
    put(key, created, 0);
    return created;
  };
  const epochOf = (namespace: string) => getString(keys.epochKey(namespace)) ?? '0';
  const bump = (namespace: string) =>
    put(keys.epochKey(namespace), String(Number(epochOf(namespace)) + 1), 0);
  const unlock = (key: string, token: string) => {
    if (getString(keys.lockKey(key)) === token) slots.delete(keys.lockKey(key));
  };

  const sweeper = setInterval(() => {
    for (const key of [...slots.keys()]) live(key);
  }, 30_000);
  sweeper.unref();

  return {
    kind: 'memory',
    ready: () => true,

    async read(groups) {
      return groups.map(
        ({ namespace, keys: groupKeys }): NamespaceRead => ({
          raws: groupKeys.map(getString),
          epoch: epochOf(namespace),
        }),
      );
    },

    async readOrLock({ key, namespace, lockToken, lockTtlMs, tags, lockOverValue = false }) {
      for (const tag of tags) setOf(keys.tagRegistryKey(tag)).add(namespace);
      const raw = getString(key);
      let locked = false;
      const lockable = lockOverValue || raw === null || raw.startsWith('T');
      if (lockTtlMs > 0 && lockable && !live(keys.lockKey(key))) {
        put(keys.lockKey(key), lockToken, lockTtlMs);
        locked = true;
      }
      return { raw, epoch: epochOf(namespace), locked };
    },

    async peek(key) {
      return { raw: getString(key), locked: live(keys.lockKey(key)) !== undefined };
    },

    async write(groups, release) {
      for (const { namespace, entries, epoch } of groups) {
        if (epoch !== undefined && epochOf(namespace) !== epoch) continue;
        for (const entry of entries) {
          if (epoch !== undefined && !stillSeen(getString(entry.key), entry.seen ?? '')) continue;
          put(entry.key, entry.raw, entry.ttlMs);
          for (const tag of entry.tags) {
            setOf(`${keys.tagHead(namespace)}${tag}`).add(entry.key);
            setOf(keys.tagRegistryKey(tag)).add(namespace);
          }
        }
      }
      if (release) unlock(release.key, release.token);
    },

    async unlock(key, token) {
      unlock(key, token);
    },

    async tombstone(found, ttlMs) {
      for (const key of found) put(key, encodeTombstone(), ttlMs);
    },

    async invalidateNamespace(namespace, pattern) {
      bump(namespace);
      const matches = globToRegExp(`${keys.head(namespace)}:${pattern}`);
      let removed = 0;
      for (const key of [...slots.keys()]) {
        if (!matches.test(key) || !live(key)) continue;
        if (keys.isMeta(key) && !(pattern === '*' && key.includes(':~tag:'))) continue;
        slots.delete(key);
        removed++;
      }
      return removed;
    },

    async invalidateTag(tag) {
      let removed = 0;
      for (const namespace of setOf(keys.tagRegistryKey(tag))) {
        bump(namespace);
        const set = `${keys.tagHead(namespace)}${tag}`;
        for (const key of setOf(set)) if (slots.delete(key)) removed++;
        slots.delete(set);
      }
      return removed;
    },

    async hitWindows(windowKeys, windowMs) {
      return windowKeys.map((key) => {
        const slot = live(key);
        const count = Number(typeof slot?.value === 'string' ? slot.value : 0) + 1;
        if (slot) slot.value = String(count);
        else put(key, String(count), windowMs);
        return count;
      });
    },

    async publish() {},
    async subscribe(_onMessage, onConnected) {
      onConnected(true);
    },

    async clear() {
      const removed = slots.size;
      slots.clear();
      return removed;
    },
    async ping() {},
    async close() {
      clearInterval(sweeper);
      slots.clear();
    },
  };
}
