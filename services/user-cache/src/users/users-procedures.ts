import { procedure } from '@mesh/kit';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';

export const MAX_IDS_PER_CALL = 1000;

const telegramId = z.bigint().positive();

const newUser = z.object({
  id: telegramId,
  name: z.string().trim().min(1).max(256),
  gender: z.enum(['male', 'female', 'other']).optional(),
});

/** Users by Telegram id, many at a time: one query per call, never one per id. */
export function createUsersProcedures({ prisma }: { prisma: PrismaClient }) {
  return {
    /** The users asked for, in the order asked, `null` for an unknown id. Budget: 1 query. */
    getUsers: procedure
      .input(z.object({ ids: z.array(telegramId).min(1).max(MAX_IDS_PER_CALL) }))
      .query(async ({ input }) => {
        const found = await prisma.user.findMany({ where: { id: { in: input.ids } } });
        const byId = new Map(found.map((user) => [user.id, user]));
        return input.ids.map((id) => byId.get(id) ?? null);
      }),
    /** Creates the users that do not exist yet; existing ids are left alone. Budget: 1 query. */
    createUsers: procedure
      .input(z.object({ users: z.array(newUser).min(1).max(MAX_IDS_PER_CALL) }))
      .mutation(async ({ input }) => {
        const { count } = await prisma.user.createMany({ data: input.users, skipDuplicates: true });
        return { created: count };
      }),
  };
}
