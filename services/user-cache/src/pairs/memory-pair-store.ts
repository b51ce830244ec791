import type { PairStore } from './pair-store.js';

/** Pairs for one process, when the service runs without Redis (`REDIS_URL=`). */
export function createMemoryPairStore(ttlSeconds: number): PairStore {
  const pairs = new Map<bigint, { partner: bigint; expiresAt: number }>();
  const partnerOf = (chatId: bigint) => {
    const pair = pairs.get(chatId);
    if (pair && pair.expiresAt <= Date.now()) pairs.delete(chatId);
    return pairs.get(chatId)?.partner ?? null;
  };
  return {
    async pair(chatId, partnerId) {
      if (partnerOf(chatId) !== null || partnerOf(partnerId) !== null) return false;
      const expiresAt = Date.now() + ttlSeconds * 1000;
      pairs.set(chatId, { partner: partnerId, expiresAt });
      pairs.set(partnerId, { partner: chatId, expiresAt });
      return true;
    },
    async unpair(chatId) {
      const partner = partnerOf(chatId);
      if (partner === null) return null;
      pairs.delete(chatId);
      if (partnerOf(partner) === chatId) pairs.delete(partner);
      return partner;
    },
    async partners(chatIds) {
      return chatIds.map(partnerOf);
    },
  };
}
