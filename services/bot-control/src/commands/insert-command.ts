import type { PrismaClient } from '../generated/prisma/client.js';
import { COMMANDS_CHANNEL, type CommandName } from './command-dto.js';

/**
 * Writes one command and notifies listeners in one statement (so one transaction): the bot's
 * row lock numbers it, the NOTIFY is sent at commit. No row back means no such bot.
 */
export async function insertCommand(
  prisma: PrismaClient,
  input: { botId: string; command: CommandName; payload: unknown },
): Promise<{ id: string; seq: bigint } | undefined> {
  const rows = await prisma.$queryRaw<Array<{ id: string; seq: bigint }>>`
    WITH bot AS (
      UPDATE bots SET last_command_seq = last_command_seq + 1
      WHERE id = ${input.botId}::uuid
      RETURNING id, last_command_seq
    ), cmd AS (
      INSERT INTO bot_commands (id, bot_id, seq, command, payload)
      SELECT gen_random_uuid(), bot.id, bot.last_command_seq, ${input.command}, ${JSON.stringify(input.payload)}::jsonb
      FROM bot
      RETURNING id, bot_id, seq
    )
    SELECT cmd.id::text AS id, cmd.seq, pg_notify(${COMMANDS_CHANNEL}, cmd.bot_id::text)::text AS notified FROM cmd`;
  return rows[0];
}
