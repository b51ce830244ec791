import type { CacheStore, NamespaceRead } from './cache-store.js';
import { encodeTombstone, stillSeen } from './entry.js';
import { globToRegExp } from './glob.js';
import { groupBy } from './group-by.js';
import type { Keyspace } from './keyspace.js';
import {
  bucketOf,
  bucketsOf,
  newVersions,
  newVersionToken,
  VERSION_WIDTH,
  VERSIONS_LENGTH,
  versionOf,
} from './version-buckets.js';

interface Slot {
  value: string | Set<string>;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** Entries kept at most; the oldest written go first. Bookkeeping is not counted. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The in-process fallback for when there is no Redis (`REDIS_URL=`): the same semantics
 * as the Redis store (TTLs, tombstones, epochs, versions, tags, locks, windows) for one process, held
 * to them by the contract suite both stores run (`cache-store-contract.ts`). Nothing is
 * shared with other processes, so `mesh up` warns loudly when it is in use.
 */
export function createMemoryStore(keys: Keyspace, options: MemoryStoreOptions = {}): CacheStore {
  const { maxEntries = 100_000, now = Date.now } = options;
  // Values (entries, tombstones, windows) and bookkeeping (epochs, locks, tag sets) apart:
  // only values are evicted when full, as an epoch or a tag set lost early would let a
  // stale write-back in or an invalidation miss keys.
  const values = new Map<string, Slot>();
  const bookkeeping = new Map<string, Slot>();
  const registryHead = keys.tagRegistryKey('');
  const mapOf = (key: string) => (keys.isMeta(key) || key.startsWith(registryHead) ? bookkeeping : values);

  const live = (key: string): Slot | undefined => {
    const map = mapOf(key);
    const slot = map.get(key);
    if (slot && slot.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return slot;
  };
  const remove = (key: string): boolean => live(key) !== undefined && mapOf(key).delete(key);
  const getString = (key: string): string | null => {
    const value = live(key)?.value;
    return typeof value === 'string' ? value : null;
  };
  const expiry = (ttlMs: number) => (ttlMs > 0 ? now() + ttlMs : Number.POSITIVE_INFINITY);
  const put = (key: string, value: string | Set<string>, ttlMs: number) => {
    const map = mapOf(key);
    map.delete(key);
    map.set(key, { value, expiresAt: expiry(ttlMs) });
    if (map === values && values.size > maxEntries) values.delete(values.keys().next().value as string);
  };
  const existingSet = (key: string): Set<string> | undefined => {
    const value = live(key)?.value;
    return value instanceof Set ? value : undefined;
  };
  /** Adds to a set; `ttlMs` only ever lengthens its life, as the WRITE script's PEXPIRE NX/GT. */
  const addToSet = (key: string, member: string, ttlMs = 0) => {
    const slot = live(key);
    if (slot?.value instanceof Set) {
      slot.value.add(member);
      slot.expiresAt = Math.max(slot.expiresAt, expiry(ttlMs));
    } else {
      put(key, new Set([member]), ttlMs);
    }
  };
  const epochOf = (namespace: string) => getString(keys.epochKey(namespace)) ?? '0';
  const bump = (namespace: string) =>
    put(keys.epochKey(namespace), String(Number(epochOf(namespace)) + 1), 0);
  // Versions as the Redis store keeps them: one string per namespace, new tokens only where
  // it exists (`moveVersions`, `replaceVersions`), a reader's seed only where it does not.
  // Kept with the bookkeeping, never evicted.
  const versionsOf = (namespace: string) => getString(keys.versionKey(namespace));
  const moveVersions = (namespace: string, buckets: readonly number[]) => {
    const versions = versionsOf(namespace);
    if (versions === null) return;
    if (versions.length !== VERSIONS_LENGTH) {
      remove(keys.versionKey(namespace));
      return;
    }
    let moved = versions;
    for (const bucket of buckets) {
      const offset = bucket * VERSION_WIDTH;
      moved = moved.slice(0, offset) + newVersionToken() + moved.slice(offset + VERSION_WIDTH);
    }
    put(keys.versionKey(namespace), moved, 0);
  };
  const replaceVersions = (namespace: string) => {
    if (versionsOf(namespace) !== null) put(keys.versionKey(namespace), newVersions(), 0);
  };
  const seedVersions = (namespace: string, versions = newVersions()) => {
    if (versionsOf(namespace) === null) put(keys.versionKey(namespace), versions, 0);
  };
  const unlock = (key: string, token: string) => {
    if (getString(keys.lockKey(key)) === token) bookkeeping.delete(keys.lockKey(key));
  };

  const sweeper = setInterval(() => {
    for (const key of [...values.keys(), ...bookkeeping.keys()]) live(key);
  }, 30_000);
  sweeper.unref();

  return {
    kind: 'memory',
    ready: () => true,

    async read(groups) {
      return groups.map(
        ({ namespace, keys: groupKeys, versions }): NamespaceRead => ({
          raws: groupKeys.map(getString),
          epoch: epochOf(namespace),
          versions: versions ? versionsOf(namespace) : null,
        }),
      );
    },

    async seedVersions(namespaces) {
      for (const namespace of namespaces) seedVersions(namespace);
    },

    async readOrLock({
      key,
      namespace,
      lockToken,
      lockTtlMs,
      tags,
      lockOverValue = false,
      seedVersions: seed,
    }) {
      for (const tag of tags) addToSet(keys.tagRegistryKey(tag), namespace);
      const raw = getString(key);
      let locked = false;
      const lockable = lockOverValue || raw === null || raw.startsWith('T');
      if (lockTtlMs > 0 && lockable && !live(keys.lockKey(key))) {
        put(keys.lockKey(key), lockToken, lockTtlMs);
        locked = true;
      }
      if (seed) seedVersions(namespace, seed);
      return {
        raw,
        epoch: epochOf(namespace),
        locked,
        version: versionOf(versionsOf(namespace), bucketOf(key)),
      };
    },

    async peek(key) {
      return {
        raw: getString(key),
        locked: live(keys.lockKey(key)) !== undefined,
        version: versionOf(versionsOf(keys.namespaceOf(key)), bucketOf(key)),
      };
    },

    async write(groups, release) {
      for (const { namespace, seed = false, entries, epoch } of groups) {
        if (seed) seedVersions(namespace);
        if (epoch !== undefined && epochOf(namespace) !== epoch) continue;
        // A write-through moves its keys' versions; a guarded write-back does not (redis-scripts.ts, WRITE).
        if (epoch === undefined) moveVersions(namespace, bucketsOf(entries.map((entry) => entry.key)));
        for (const entry of entries) {
          if (epoch !== undefined && !stillSeen(getString(entry.key), entry.seen ?? '')) continue;
          put(entry.key, entry.raw, entry.ttlMs);
          for (const tag of entry.tags) {
            addToSet(`${keys.tagHead(namespace)}${tag}`, entry.key, entry.ttlMs);
            addToSet(keys.tagRegistryKey(tag), namespace);
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
      for (const group of groupBy(found, (key) => keys.namespaceOf(key))) {
        moveVersions(keys.namespaceOf(group[0] as string), bucketsOf(group));
      }
    },

    async invalidateNamespace(namespace, pattern) {
      bump(namespace);
      const matches = globToRegExp(`${keys.head(namespace)}:${pattern}`);
      let removed = 0;
      for (const key of [...values.keys(), ...bookkeeping.keys()]) {
        if (!matches.test(key)) continue;
        if (keys.isMeta(key) && !(pattern === '*' && key.includes(':~tag:'))) continue;
        if (remove(key)) removed++;
      }
      replaceVersions(namespace);
      return removed;
    },

    async invalidateTag(tag) {
      let removed = 0;
      for (const namespace of existingSet(keys.tagRegistryKey(tag)) ?? []) {
        bump(namespace);
        const set = `${keys.tagHead(namespace)}${tag}`;
        for (const key of existingSet(set) ?? []) if (remove(key)) removed++;
        bookkeeping.delete(set);
        replaceVersions(namespace);
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
      let removed = 0;
      for (const key of [...values.keys(), ...bookkeeping.keys()]) if (remove(key)) removed++;
      return removed;
    },
    async ping() {},
    async close() {
      clearInterval(sweeper);
      values.clear();
      bookkeeping.clear();
    },
  };
}
