import type { CacheStore, NamespaceRead } from './cache-store.js';
import type { Keyspace } from './keyspace.js';
import type { RedisCommands } from './redis-commands.js';
import { setVersions } from './redis-versions.js';
import { bucketOf } from './version-buckets.js';

/**
 * Plain reads: entries with their namespace's epoch and versions, a reader's seed of missing
 * versions, and a waiter's look at a key being loaded.
 */
export function createRedisReads(
  { pipelines, call, client }: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'read' | 'peek' | 'seedVersions'> {
  return {
    async read(groups) {
      if (groups.length === 0) return [];
      // One MGET per namespace (the values, the versions, the epoch): one MGET is atomic, so
      // every version is what Redis held when it gave the values beside it.
      const results = await pipelines(
        groups.map(({ namespace, keys: groupKeys, buckets = [] }) => (pipeline) => {
          const versionKeys = buckets.map((bucket) => keys.versionKey(namespace, bucket));
          pipeline.mget(...groupKeys, ...versionKeys, keys.epochKey(namespace));
        }),
      );
      return results.map((values, index): NamespaceRead => {
        const raws = values as Array<string | null>;
        const count = groups[index]?.keys.length ?? 0;
        return {
          raws: raws.slice(0, count),
          epoch: raws.at(-1) ?? '0',
          versions: raws.slice(count, -1),
        };
      });
    },

    async seedVersions(groups) {
      const builds = groups
        .filter((group) => group.buckets.length > 0)
        .map(({ namespace, buckets }) => setVersions(keys, namespace, buckets, 'NX'));
      if (builds.length > 0) await pipelines(builds);
    },

    async peek(key) {
      const versionKey = keys.versionKey(keys.namespaceOf(key), bucketOf(key));
      const [raw, lock, version] = await call(() => client.mget(key, keys.lockKey(key), versionKey));
      return { raw: raw ?? null, locked: lock !== null && lock !== undefined, version: version ?? null };
    },
  };
}
