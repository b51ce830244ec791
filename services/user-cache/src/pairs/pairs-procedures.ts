import { procedure } from '@mesh/kit';
import { z } from 'zod';
import { errors } from '../errors.js';
import type { ReadLimit } from '../read-limit.js';
import type { UserStore } from '../users/user-store.js';
import { ids, telegramId } from '../users/users-input.js';
import type { PairStore } from './pair-store.js';

export interface PairsDeps {
  pairs: PairStore;
  users: UserStore;
  readLimit: ReadLimit;
}

const twoChats = z
  .object({ chatId: telegramId, partnerId: telegramId })
  .refine((input) => input.chatId !== input.partnerId, {
    message: 'a chat cannot pair with itself',
    path: ['partnerId'],
  });

/** Anonymous-chat pairs: who talks to whom, kept in Redis, written atomically. */
export function createPairsProcedures({ pairs, users, readLimit }: PairsDeps) {
  return {
    /** Pairs two chats, both directions at once; CHAT_ALREADY_PAIRED (and nothing written) if either has a partner. */
    pair: procedure.input(twoChats).mutation(async ({ input }) => {
      if (!(await pairs.pair(input.chatId, input.partnerId))) throw errors.create('CHAT_ALREADY_PAIRED');
      return { paired: true as const };
    }),
    /** Ends a chat's pair, both directions; says who the partner was (null if none). */
    unpair: procedure
      .input(z.object({ chatId: telegramId }))
      .mutation(async ({ input }) => ({ partnerId: await pairs.unpair(input.chatId) })),
    /** A chat's partner, or null. Rate-limited per chat. Budget: 2 Redis round trips, no SQL. */
    getPartner: procedure.input(z.object({ chatId: telegramId })).query(async ({ input }) => {
      await readLimit.check([input.chatId]);
      const [partnerId = null] = await pairs.partners([input.chatId]);
      return { partnerId };
    }),
    /**
     * For each chat: its user, its partner's id and its partner's user (the lookup a chat bot
     * makes per message). Rate-limited per chat. Budget: 3 Redis round trips (limits, pairs,
     * users) and at most 1 SQL query.
     */
    getUsersWithPartners: procedure.input(z.object({ chatIds: ids })).query(async ({ input }) => {
      await readLimit.check(input.chatIds);
      const partnerIds = await pairs.partners(input.chatIds);
      const wanted = [...input.chatIds, ...partnerIds.filter((id): id is bigint => id !== null)];
      const found = await users.getMany(wanted);
      const byId = new Map(wanted.map((id, index) => [id, found[index] ?? null]));
      return input.chatIds.map((chatId, index) => {
        const partnerId = partnerIds[index] ?? null;
        return {
          chatId,
          user: byId.get(chatId) ?? null,
          partnerId,
          partner: partnerId === null ? null : (byId.get(partnerId) ?? null),
        };
      });
    }),
  };
}
