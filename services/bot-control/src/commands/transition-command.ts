import type { PrismaClient } from '../generated/prisma/client.js';
import { type CommandStatus, EVENTS_CHANNEL } from './command-dto.js';

const ALLOWED_FROM: Record<Exclude<CommandStatus, 'pending'>, CommandStatus[]> = {
  acked: ['pending'],
  done: ['pending', 'acked'],
  failed: ['pending', 'acked'],
};

export type TransitionResult =
  | { outcome: 'ok'; eventSeq: bigint; botStatus: string }
  | { outcome: 'not-found' }
  | { outcome: 'wrong-state'; status: string };

/**
 * Moves a command to `to`, records a bot event with the next per-bot seq, updates the bot's
 * status when a START/STOP/RESTART completes, and notifies `onStatus` listeners: one
 * statement. Only a refused change costs a second query (to say why).
 */
export async function transitionCommand(
  prisma: PrismaClient,
  input: { commandId: string; to: Exclude<CommandStatus, 'pending'>; error?: string },
): Promise<TransitionResult> {
  const from = ALLOWED_FROM[input.to];
  const rows = await prisma.$queryRaw<Array<{ seq: bigint; status: string }>>`
    WITH cmd AS (
      UPDATE bot_commands SET
        status = ${input.to},
        acked_at = COALESCE(acked_at, now()),
        completed_at = CASE WHEN ${input.to} IN ('done', 'failed') THEN now() END,
        error = ${input.error ?? null}
      WHERE id = ${input.commandId}::uuid AND status = ANY(${from}::text[])
      RETURNING id, bot_id, seq, command, status
    ), bot AS (
      UPDATE bots b SET
        last_event_seq = b.last_event_seq + 1,
        status = CASE
          WHEN cmd.status <> 'done' THEN b.status
          WHEN cmd.command IN ('START', 'RESTART') THEN 'running'
          WHEN cmd.command = 'STOP' THEN 'stopped'
          ELSE b.status END,
        updated_at = now()
      FROM cmd WHERE b.id = cmd.bot_id
      RETURNING b.id, b.last_event_seq, b.status
    ), ev AS (
      INSERT INTO bot_events (id, bot_id, seq, command_id, type, payload)
      SELECT gen_random_uuid(), bot.id, bot.last_event_seq, cmd.id, cmd.status,
        jsonb_build_object('command', cmd.command, 'commandSeq', cmd.seq::text, 'botStatus', bot.status)
          || CASE WHEN cmd.status = 'failed' THEN jsonb_build_object('error', ${input.error ?? null}::text) ELSE '{}'::jsonb END
      FROM bot, cmd
      RETURNING bot_id, seq
    )
    SELECT ev.seq, bot.status, pg_notify(${EVENTS_CHANNEL}, ev.bot_id::text)::text AS notified FROM ev, bot`;
  const row = rows[0];
  if (row) return { outcome: 'ok', eventSeq: row.seq, botStatus: row.status };
  const existing = await prisma.botCommand.findUnique({
    where: { id: input.commandId },
    select: { status: true },
  });
  return existing ? { outcome: 'wrong-state', status: existing.status } : { outcome: 'not-found' };
}
