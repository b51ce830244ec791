import { isUniqueViolation } from '@mesh/db';
import { procedure } from '@mesh/kit';
import { z } from 'zod';
import { errors } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Bots: registration and lookup. Commands and subscriptions come with their own feature. */
export function createBotsProcedures({ prisma }: { prisma: PrismaClient }) {
  return {
    /** Registers a bot by unique name. Budget: 1 query. */
    registerBot: procedure
      .input(
        z.object({
          name: z.string().regex(/^[a-z0-9][a-z0-9_-]{2,63}$/, 'must be 3-64 of a-z, 0-9, _ and -'),
        }),
      )
      .mutation(async ({ input }) => {
        try {
          return await prisma.bot.create({ data: { name: input.name } });
        } catch (error) {
          if (isUniqueViolation(error)) throw errors.create('BOTS_NAME_TAKEN', { detail: input.name });
          throw error;
        }
      }),
    /** One bot by id. Budget: 1 query. */
    getBot: procedure.input(z.object({ id: z.uuid() })).query(async ({ input }) => {
      const bot = await prisma.bot.findUnique({ where: { id: input.id } });
      if (!bot) throw errors.create('BOTS_NOT_FOUND');
      return bot;
    }),
  };
}
