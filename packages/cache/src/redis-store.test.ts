import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { describeCacheStoreContract } from './cache-store-contract.js';
import { createRedis } from './create-redis.js';
import { readCacheEnv } from './env.js';
import { createKeyspace } from './keyspace.js';
import { createRedisStore } from './redis-store.js';
import { testKeyPrefix } from './testing/create-test-cache.js';

function redisStore(keys = createKeyspace({ service: 'contract', prefix: testKeyPrefix() })) {
  const client = createRedis(readCacheEnv());
  if (!client) throw new Error('the Redis store tests need REDIS_URL');
  return createRedisStore(client, keys);
}

describeCacheStoreContract('redis', (keys) => redisStore(keys));

describe('Redis store', () => {
  it('delivers a published invalidation to every subscriber of the service', async () => {
    const keys = createKeyspace({ service: 'contract', prefix: testKeyPrefix() });
    const [sender, receiver] = [redisStore(keys), redisStore(keys)];
    try {
      const received: string[] = [];
      await receiver.subscribe(
        (message) => received.push(message),
        () => {},
      );
      await sender.publish('users:1');
      for (let attempt = 0; attempt < 100 && received.length === 0; attempt++) await sleep(10);
      expect(received).toEqual(['users:1']);
    } finally {
      await Promise.all([sender.close(), receiver.close()]);
    }
  });
});
