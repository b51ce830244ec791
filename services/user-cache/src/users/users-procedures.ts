import { procedure } from '@mesh/kit';
import { z } from 'zod';
import { errors } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ReadLimit } from '../read-limit.js';
import { upsertUsers } from './upsert-users.js';
import { toUserDto, type UserView } from './user-dto.js';
import { createUserLoaders } from './user-loader.js';
import type { UserStore } from './user-store.js';
import {
  gender,
  ids,
  MAX_IDS_PER_CALL,
  newUser,
  status,
  telegramId,
  uniqueIds,
  userName,
  userUpsert,
} from './users-input.js';

export { MAX_IDS_PER_CALL };

export interface UsersDeps {
  prisma: PrismaClient;
  users: UserStore;
  readLimit: ReadLimit;
}

const include = z.object({ wallets: z.boolean().optional() }).optional();

const userChanges = z
  .object({
    id: telegramId,
    name: userName.optional(),
    gender: gender.nullable().optional(),
    status: status.optional(),
  })
  .refine((input) => input.name !== undefined || input.gender !== undefined || input.status !== undefined, {
    message: 'give at least one of name, gender, status',
    path: ['name'],
  });

function isRecordNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2025';
}

/** Users by Telegram id, many at a time, through the shared cache. */
export function createUsersProcedures({ prisma, users, readLimit }: UsersDeps) {
  const loaders = createUserLoaders(users, readLimit);
  return {
    /**
     * The users asked for (up to 1,000), in the order asked, `null` for an unknown id; with
     * `include: { wallets: true }` each user carries its wallets. Budget: 1 Redis round trip
     * when cached; else 2 and 1 SQL query (misses only, wallets joined in).
     */
    getUsers: procedure
      .input(z.object({ ids, include }))
      .query(
        async ({ input }): Promise<Array<UserView | null>> =>
          users.getMany(input.ids, { wallets: input.include?.wallets === true }),
      ),
    /** One user; calls in the same request are batched (DataLoader). Rate-limited per user. */
    getUser: procedure
      .input(z.object({ id: telegramId }))
      .query(({ ctx, input }) => loaders.for(ctx).load(input.id)),
    /** Creates the users that do not exist yet; existing ids are left alone. Budget: 1 query. */
    createUsers: procedure
      .input(z.object({ users: z.array(newUser).min(1).max(MAX_IDS_PER_CALL) }))
      .mutation(async ({ input }) => {
        const created = await prisma.user.createManyAndReturn({
          data: input.users,
          skipDuplicates: true,
          select: { id: true },
        });
        // "No such user" may be cached for the new ids: forget exactly those.
        await users.forget({ users: created.map((user) => user.id) });
        return { created: created.length };
      }),
    /**
     * Creates or updates users (and their wallets) in one statement; the next read of any of
     * them is fresh. Fields left out keep their stored value. Budget: 1 query.
     */
    upsertUsers: procedure
      .input(
        z.object({
          users: z.array(userUpsert).min(1).max(MAX_IDS_PER_CALL).refine(uniqueIds, 'each id at most once'),
        }),
      )
      .mutation(async ({ input }) => {
        const counts = await upsertUsers(prisma, input.users);
        await users.forget({
          users: input.users.map((user) => user.id),
          wallets: input.users.filter((user) => user.wallets !== undefined).map((user) => user.id),
        });
        return counts;
      }),
    /** Changes one user; the next read anywhere sees the change. Budget: 1 query. */
    updateUser: procedure.input(userChanges).mutation(async ({ input }) => {
      const { id, ...data } = input;
      try {
        const updated = await prisma.user.update({ where: { id }, data });
        await users.forget({ users: [id] });
        return toUserDto(updated);
      } catch (error) {
        if (isRecordNotFound(error)) throw errors.create('USER_NOT_FOUND', { detail: String(id) });
        throw error;
      }
    }),
  };
}
