import type { CacheStore, NamespaceRead } from './cache-store.js';
import type { Keyspace } from './keyspace.js';
import type { RedisCommands } from './redis-commands.js';

/** Plain reads: entries with their namespace's epoch, and a waiter's look at a key being loaded. */
export function createRedisReads(
  { pipelines, call, client }: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'read' | 'peek'> {
  return {
    async read(groups) {
      if (groups.length === 0) return [];
      const results = await pipelines(
        groups.map(
          ({ namespace, keys: groupKeys }) =>
            (pipeline) =>
              pipeline.mget(...groupKeys, keys.epochKey(namespace)),
        ),
      );
      return results.map((values): NamespaceRead => {
        const raws = values as Array<string | null>;
        return { raws: raws.slice(0, -1), epoch: raws.at(-1) ?? '0' };
      });
    },

    async peek(key) {
      const [raw, lock] = await call(() => client.mget(key, keys.lockKey(key)));
      return { raw: raw ?? null, locked: lock !== null && lock !== undefined };
    },
  };
}
