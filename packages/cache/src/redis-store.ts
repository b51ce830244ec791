import type { CacheStore } from './cache-store.js';
import type { RedisClient } from './create-redis.js';
import type { Keyspace } from './keyspace.js';
import { createRedisBus } from './redis-bus.js';
import { createRedisCommands } from './redis-commands.js';
import { createRedisInvalidation } from './redis-invalidation.js';
import { createRedisLocks } from './redis-locks.js';
import { createRedisReads } from './redis-reads.js';
import { createRedisWrites } from './redis-writes.js';

/**
 * The cache's entries in Redis (or a Redis Cluster), through `client`, which it owns. Each
 * concern lives in its own file: reads, load locks, writes and tombstones, invalidation, the
 * bus; `redis-commands.ts` is the one way they reach Redis.
 */
export function createRedisStore(client: RedisClient, keys: Keyspace): CacheStore {
  const commands = createRedisCommands(client);
  const { closeSubscriber, ...bus } = createRedisBus(commands, keys);
  return {
    kind: 'redis',
    ready: () => client.status === 'ready',
    ...createRedisReads(commands, keys),
    ...createRedisLocks(commands, keys),
    ...createRedisWrites(commands, keys),
    ...createRedisInvalidation(commands, keys),
    ...bus,

    async hitWindows(windowKeys, windowMs) {
      if (windowKeys.length === 0) return [];
      return commands.call(() =>
        commands.scripted.meshHitWindows(windowKeys.length, ...windowKeys, windowMs),
      );
    },

    async ping() {
      await commands.call(() => client.ping());
    },

    async close() {
      await Promise.allSettled([closeSubscriber(), client.quit()]);
    },
  };
}
