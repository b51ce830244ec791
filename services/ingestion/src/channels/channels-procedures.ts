import { procedure } from '@mesh/kit';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';

const newChannel = z.object({
  /** Bot API channel ids are negative (-100...), MTProto ones positive; zero is never valid. */
  id: z.bigint().refine((id) => id !== 0n, 'must not be 0'),
  username: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram username (5-32 letters, digits, underscores)'),
  title: z.string().trim().min(1).max(256),
});

/** The channels ingestion syncs. */
export function createChannelsProcedures({ prisma }: { prisma: PrismaClient }) {
  return {
    /** Registers channels; ones already known (by id or username) are skipped. Budget: 1 query. */
    registerChannels: procedure
      .input(z.object({ channels: z.array(newChannel).min(1).max(500) }))
      .mutation(async ({ input }) => {
        const { count } = await prisma.channel.createMany({ data: input.channels, skipDuplicates: true });
        return { registered: count };
      }),
    /** Active channels, newest first. Budget: 1 query. */
    listChannels: procedure
      .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
      .query(({ input }) =>
        prisma.channel.findMany({
          where: { active: true },
          orderBy: { createdAt: 'desc' },
          take: input.limit,
        }),
      ),
  };
}
