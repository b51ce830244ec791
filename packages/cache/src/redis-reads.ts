import type { CacheStore, NamespaceRead } from './cache-store.js';
import type { Keyspace } from './keyspace.js';
import type { RedisCommands } from './redis-commands.js';
import { setVersions } from './redis-versions.js';
import { bucketOf, versionOf } from './version-buckets.js';

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
      // the versions are what Redis held when it gave the values beside them.
      const results = await pipelines(
        groups.map(({ namespace, keys: groupKeys, versions }) => (pipeline) => {
          if (versions) pipeline.mget(...groupKeys, keys.versionKey(namespace), keys.epochKey(namespace));
          else pipeline.mget(...groupKeys, keys.epochKey(namespace));
        }),
      );
      return results.map((values, index): NamespaceRead => {
        const raws = values as Array<string | null>;
        const count = groups[index]?.keys.length ?? 0;
        return {
          raws: raws.slice(0, count),
          epoch: raws.at(-1) ?? '0',
          versions: groups[index]?.versions ? (raws[count] ?? null) : null,
        };
      });
    },

    async seedVersions(namespaces) {
      if (namespaces.length > 0)
        await pipelines(namespaces.map((namespace) => setVersions(keys, namespace, 'NX')));
    },

    async peek(key) {
      const versionKey = keys.versionKey(keys.namespaceOf(key));
      const [raw, lock, versions] = await call(() => client.mget(key, keys.lockKey(key), versionKey));
      return {
        raw: raw ?? null,
        locked: lock !== null && lock !== undefined,
        version: versionOf(versions, bucketOf(key)),
      };
    },
  };
}
