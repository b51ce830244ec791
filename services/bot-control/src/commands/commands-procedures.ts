import { procedure } from '@mesh/kit';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { errors } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ChangeListener } from './change-listener.js';
import { COMMANDS_CHANNEL, type CommandName, EVENTS_CHANNEL, FEED_PAGE_SIZE } from './command-dto.js';
import { insertCommand } from './insert-command.js';
import { type TransitionResult, transitionCommand } from './transition-command.js';
import { watchRows } from './watch-rows.js';

export interface CommandsDeps {
  prisma: PrismaClient;
  listener: ChangeListener;
  backstopMs: number;
}

const botId = z.uuid();
const commandId = z.uuid();
/** A tRPC `tracked()` id: the seq of the last row the subscriber saw. */
const lastEventId = z
  .string()
  .regex(/^\d{1,19}$/, 'must be the id of an event received')
  .optional();
const payload = z.record(z.string(), z.json()).default({});
const config = z
  .record(z.string(), z.json())
  .refine((value) => Object.keys(value).length > 0, 'give at least one setting');

function settle(result: TransitionResult, commandId: string) {
  if (result.outcome === 'not-found') throw errors.create('BOTS_COMMAND_NOT_FOUND', { detail: commandId });
  if (result.outcome === 'wrong-state') throw errors.create('BOTS_COMMAND_STATE', { detail: result.status });
  return { eventId: String(result.eventSeq), botStatus: result.botStatus };
}

/** Commands by outbox and subscription: fire-and-forget writes, live ordered reads. */
export function createCommandsProcedures({ prisma, listener, backstopMs }: CommandsDeps) {
  const send = (command: CommandName) => async (input: { botId: string; payload: unknown }) => {
    const row = await insertCommand(prisma, { botId: input.botId, command, payload: input.payload });
    if (!row) throw errors.create('BOTS_NOT_FOUND', { detail: input.botId });
    return { commandId: row.id, eventId: String(row.seq) };
  };
  const commandInput = z.object({ botId, payload });
  const assertBot = async (id: string) => {
    if (!(await prisma.bot.findUnique({ where: { id }, select: { id: true } }))) {
      throw errors.create('BOTS_NOT_FOUND', { detail: id });
    }
  };
  /** A bot's rows on `channel` after the subscriber's last event, live; starts once LISTEN is active. */
  const feed = async <TRow extends { seq: bigint }>(
    input: { botId: string; lastEventId?: string | undefined },
    signal: AbortSignal | undefined,
    channel: string,
    read: (after: bigint) => Promise<TRow[]>,
  ) => {
    await assertBot(input.botId);
    await listener.ready();
    return watchRows({
      listener,
      channel,
      botId: input.botId,
      after: BigInt(input.lastEventId ?? 0),
      backstopMs,
      pageSize: FEED_PAGE_SIZE,
      signal,
      read,
    });
  };

  return {
    /** Queues START and returns at once; the bot runtime hears it by `onCommand`. Budget: 1 query. */
    startBot: procedure.input(commandInput).mutation(({ input }) => send('START')(input)),
    /** Queues STOP. Budget: 1 query. */
    stopBot: procedure.input(commandInput).mutation(({ input }) => send('STOP')(input)),
    /** Queues RESTART. Budget: 1 query. */
    restartBot: procedure.input(commandInput).mutation(({ input }) => send('RESTART')(input)),
    /** Queues CONFIG with the settings as payload. Budget: 1 query. */
    configureBot: procedure
      .input(z.object({ botId, config }))
      .mutation(({ input }) => send('CONFIG')({ botId: input.botId, payload: input.config })),

    /**
     * Every command of a bot, in order, as stored; with `lastEventId` only those after it (a
     * reconnecting client sends it by itself). Starts once LISTEN is active.
     */
    onCommand: procedure.input(z.object({ botId, lastEventId })).subscription(async ({ input, signal }) => {
      const rows = await feed(input, signal, COMMANDS_CHANNEL, (after) =>
        prisma.botCommand.findMany({
          where: { botId: input.botId, seq: { gt: after } },
          orderBy: { seq: 'asc' },
          take: FEED_PAGE_SIZE,
        }),
      );
      return (async function* () {
        for await (const row of rows)
          yield tracked(String(row.seq), { ...row, command: row.command as CommandName });
      })();
    }),

    /** The bot runtime took the command. Budget: 1 query (2 when refused). */
    ackCommand: procedure
      .input(z.object({ commandId }))
      .mutation(async ({ input }) =>
        settle(await transitionCommand(prisma, { commandId: input.commandId, to: 'acked' }), input.commandId),
      ),
    /** The bot runtime finished the command, or failed it with a reason. Budget: 1 query (2 when refused). */
    completeCommand: procedure
      .input(
        z
          .object({ commandId, ok: z.boolean(), error: z.string().min(1).max(1000).optional() })
          .refine((value) => value.ok || value.error !== undefined, {
            message: 'say why it failed',
            path: ['error'],
          }),
      )
      .mutation(async ({ input }) =>
        settle(
          await transitionCommand(prisma, {
            commandId: input.commandId,
            to: input.ok ? 'done' : 'failed',
            error: input.ok ? undefined : input.error,
          }),
          input.commandId,
        ),
      ),

    /** A bot's command events (acked, done, failed) in order, live, resumable like `onCommand`. */
    onStatus: procedure.input(z.object({ botId, lastEventId })).subscription(async ({ input, signal }) => {
      const rows = await feed(input, signal, EVENTS_CHANNEL, (after) =>
        prisma.botEvent.findMany({
          where: { botId: input.botId, seq: { gt: after } },
          orderBy: { seq: 'asc' },
          take: FEED_PAGE_SIZE,
        }),
      );
      return (async function* () {
        for await (const row of rows) yield tracked(String(row.seq), row);
      })();
    }),
  };
}
