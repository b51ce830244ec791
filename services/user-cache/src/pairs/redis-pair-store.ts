import type { RedisClient } from '@mesh/cache';
import { recordStat } from '@mesh/telemetry';
import type { PairStore } from './pair-store.js';

/** KEYS: both chats' pair keys. ARGV: both ids, TTL ms. Both set, or neither if either is taken. */
const PAIR = `
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1
`;

/**
 * KEYS: the chat's pair key, its partner's pair key. ARGV: the chat id, the partner id it
 * was read with. Deletes both directions if the pair is still the one read (else 0).
 */
const UNPAIR = `
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`;

interface PairScripts {
  meshPair(...args: Array<string | number>): Promise<number>;
  meshUnpair(...args: string[]): Promise<number>;
}

export function createRedisPairStore(
  redis: RedisClient,
  keyOf: (chatId: bigint) => string,
  ttlSeconds: number,
): PairStore {
  redis.defineCommand('meshPair', { numberOfKeys: 2, lua: PAIR });
  redis.defineCommand('meshUnpair', { numberOfKeys: 2, lua: UNPAIR });
  const scripts = redis as RedisClient & PairScripts;
  const call = <T>(command: () => Promise<T>) => {
    recordStat('redisRoundTrips');
    return command();
  };

  return {
    async pair(chatId, partnerId) {
      const ok = await call(() =>
        scripts.meshPair(
          keyOf(chatId),
          keyOf(partnerId),
          String(chatId),
          String(partnerId),
          ttlSeconds * 1000,
        ),
      );
      return ok === 1;
    },
    async unpair(chatId) {
      // Read, then delete both directions only if the pair is unchanged: a script names all
      // its keys up front (as a Redis Cluster requires), and the partner's key is only known
      // after the read. A concurrent change makes us read again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const partner = await call(() => redis.get(keyOf(chatId)));
        if (partner === null) return null;
        const done = await call(() =>
          scripts.meshUnpair(keyOf(chatId), keyOf(BigInt(partner)), String(chatId), partner),
        );
        if (done === 1) return BigInt(partner);
      }
      throw new Error('chat pair kept changing while unpairing');
    },
    async partners(chatIds) {
      if (chatIds.length === 0) return [];
      const found = await call(() => redis.mget(...chatIds.map(keyOf)));
      return found.map((partner) => (partner === null ? null : BigInt(partner)));
    },
  };
}
