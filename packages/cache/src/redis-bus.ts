import type { CacheStore } from './cache-store.js';
import { duplicateRedis } from './create-redis.js';
import type { Keyspace } from './keyspace.js';
import type { RedisCommands } from './redis-commands.js';

/** The invalidation bus on Redis pub/sub; `closeSubscriber` ends its own connection. */
export function createRedisBus(
  { call, client }: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'publish' | 'subscribe'> & { closeSubscriber(): Promise<unknown> } {
  let subscriber: RedisCommands['client'] | undefined;
  return {
    async publish(message) {
      await call(() => client.publish(keys.channel, message));
    },

    async subscribe(onMessage, onConnected) {
      const connection = duplicateRedis(client);
      subscriber = connection;
      connection.on('error', () => {});
      connection.on('message', (channel: string, message: string) => {
        if (channel === keys.channel) onMessage(message);
      });
      connection.on('close', () => onConnected(false));
      // ioredis subscribes again by itself after a reconnect, before it reports ready.
      connection.on('ready', () => onConnected(true));
      await connection.subscribe(keys.channel);
      onConnected(true);
    },

    closeSubscriber: async () => subscriber?.quit(),
  };
}
