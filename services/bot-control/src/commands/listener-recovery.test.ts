import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../testing/collect.js';
import { type BotControlHarness, startBotControl } from '../testing/start-bot-control.js';

let bots: BotControlHarness | undefined;
afterEach(async () => {
  await bots?.[Symbol.asyncDispose]();
  bots = undefined;
});

function watch(harness: BotControlHarness, botId: string) {
  return collect<{ id: string; data: { id: string } }>((handlers) =>
    harness.sdk.client.onCommand.subscribe({ botId }, handlers),
  );
}

/** The pids of this test database's LISTEN connections. */
async function listenerPids(harness: BotControlHarness): Promise<number[]> {
  const rows = await harness.sql<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = 'bot-control-listener' AND datname = current_database()`,
  );
  return rows.map((row) => row.pid);
}

describe('listener recovery', () => {
  it('loses nothing when Postgres kills the listener connection: commands written while it was down arrive', async () => {
    const harness = await startBotControl({ env: { BOT_COMMANDS_BACKSTOP_MS: '600000' } });
    bots = harness;
    const bot = await harness.caller.registerBot({ name: `bot-${randomUUID().slice(0, 8)}` });
    const watcher = watch(harness, bot.id);
    await watcher.started;
    const before = await harness.sdk.client.startBot.mutate({ botId: bot.id, payload: {} });
    await watcher.atLeast(1);

    const [pid] = await listenerPids(harness);
    const killed = await harness.sql<{ killed: boolean }>('SELECT pg_terminate_backend($1) AS killed', [pid]);
    expect(killed).toEqual([{ killed: true }]);
    const during = [
      await harness.sdk.client.configureBot.mutate({ botId: bot.id, config: { a: 1 } }),
      await harness.sdk.client.restartBot.mutate({ botId: bot.id, payload: {} }),
      await harness.sdk.client.stopBot.mutate({ botId: bot.id, payload: {} }),
    ];

    const events = await watcher.atLeast(4);
    const after = await harness.sdk.client.startBot.mutate({ botId: bot.id, payload: {} });
    const all = await watcher.atLeast(5);
    watcher.unsubscribe();
    expect(events.map((event) => event.data.id)).toEqual([before, ...during].map((c) => c.commandId));
    expect(all.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(all.at(-1)?.data.id).toBe(after.commandId);
    const now = await listenerPids(harness);
    expect(now).toHaveLength(1);
    expect(now).not.toContain(pid);
  });

  it('delivers a row that came without a NOTIFY by the backstop read', async () => {
    const harness = await startBotControl({ env: { BOT_COMMANDS_BACKSTOP_MS: '200' } });
    bots = harness;
    const bot = await harness.caller.registerBot({ name: `bot-${randomUUID().slice(0, 8)}` });
    const watcher = watch(harness, bot.id);
    await watcher.started;
    // Written as the outbox would be, but with no pg_notify: only the backstop can find it.
    const [row] = await harness.sql<{ id: string }>(
      `WITH b AS (UPDATE bots SET last_command_seq = last_command_seq + 1 WHERE id = $1 RETURNING id, last_command_seq)
       INSERT INTO bot_commands (id, bot_id, seq, command) SELECT gen_random_uuid(), b.id, b.last_command_seq, 'START' FROM b
       RETURNING id::text`,
      [bot.id],
    );
    const [event] = await watcher.atLeast(1);
    watcher.unsubscribe();
    expect(event?.data.id).toBe(row?.id);
  });
});
