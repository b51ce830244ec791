import type { Cache } from '@mesh/cache';
import { errors } from '../errors.js';
import { createMemoryPairStore } from './memory-pair-store.js';
import { createRedisPairStore } from './redis-pair-store.js';

/** Who is talking to whom: both directions of a pair are written, or neither. */
export interface PairStore {
  /** Pairs the two chats; false (and nothing written) if either already has a partner. */
  pair(chatId: bigint, partnerId: bigint): Promise<boolean>;
  /** Ends the chat's pair, both directions; the former partner, or null if it had none. */
  unpair(chatId: bigint): Promise<bigint | null>;
  /** Each chat's partner (null when unpaired), in one round trip. */
  partners(chatIds: readonly bigint[]): Promise<Array<bigint | null>>;
}

/**
 * Pairs in Redis (`user-cache:pair:<chatId>` → partner id) as the anonymous chat bot keeps them, or in
 * process memory when the cache runs without Redis. Pairs are state, not cache: when Redis
 * is unreachable they fail with PAIRS_UNAVAILABLE instead of guessing.
 */
export function createPairStore(cache: Cache, ttlSeconds: number): PairStore {
  const store = cache.redis
    ? createRedisPairStore(cache.redis, (chatId) => cache.key('pair', chatId), ttlSeconds)
    : createMemoryPairStore(ttlSeconds);
  const guarded =
    <TArgs extends unknown[], TResult>(run: (...args: TArgs) => Promise<TResult>) =>
    async (...args: TArgs): Promise<TResult> => {
      if (!cache.available) throw errors.create('PAIRS_UNAVAILABLE');
      try {
        return await run(...args);
      } catch (error) {
        throw errors.create('PAIRS_UNAVAILABLE', { cause: error });
      }
    };
  return { pair: guarded(store.pair), unpair: guarded(store.unpair), partners: guarded(store.partners) };
}
