import { randomUUID } from 'node:crypto';
import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError, countRows } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../testing/collect.js';
import { type BotControlHarness, startBotControl } from '../testing/start-bot-control.js';

let bots: BotControlHarness;

beforeAll(async () => {
  // A backstop far longer than any test: what is delivered here came by NOTIFY.
  bots = await startBotControl({ env: { BOT_COMMANDS_BACKSTOP_MS: '600000' } });
});
afterAll(async () => {
  await bots?.[Symbol.asyncDispose]();
});

async function newBot() {
  return bots.caller.registerBot({ name: `bot-${randomUUID().slice(0, 8)}` });
}

function watchCommands(harness: BotControlHarness, botId: string, lastEventId?: string) {
  return collect<{ id: string; data: { id: string; seq: bigint; command: string; payload: unknown } }>(
    (handlers) => harness.sdk.client.onCommand.subscribe({ botId, lastEventId }, handlers),
  );
}

describe('commands', () => {
  it('writes the command and its NOTIFY in one query and answers with the command id', async () => {
    const bot = await newBot();
    const { result } = await expectQueryBudget(() => bots.caller.startBot({ botId: bot.id, payload: {} }), 1);
    expect(result.commandId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await bots.sql('SELECT command, status, seq::text FROM bot_commands WHERE id = $1', [
      result.commandId,
    ]);
    expect(row).toEqual({ command: 'START', status: 'pending', seq: '1' });
  });

  it('delivers each command to a live subscriber, in order, exactly as stored', async () => {
    const bot = await newBot();
    const watcher = watchCommands(bots, bot.id);
    await watcher.started;
    await bots.sdk.client.startBot.mutate({ botId: bot.id, payload: { reason: 'deploy' } });
    await bots.sdk.client.configureBot.mutate({
      botId: bot.id,
      config: { spread: 0.5, pairs: ['BTC/USDT'] },
    });
    await bots.sdk.client.stopBot.mutate({ botId: bot.id, payload: {} });
    const events = await watcher.atLeast(3);
    watcher.unsubscribe();
    const stored = await bots.caller.getBot({ id: bot.id });
    expect(stored.lastCommandSeq).toBe(3n);
    const rows = await bots.sql<{ id: string; payload: unknown }>(
      'SELECT id::text, payload FROM bot_commands WHERE bot_id = $1 ORDER BY seq',
      [bot.id],
    );
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3']);
    expect(events.map((event) => event.data.command)).toEqual(['START', 'CONFIG', 'STOP']);
    expect(events.map((event) => ({ id: event.data.id, payload: event.data.payload }))).toEqual(rows);
  });

  it('gives a subscriber that reconnects with its last id exactly the three commands it missed', async () => {
    const bot = await newBot();
    const first = watchCommands(bots, bot.id);
    await first.started;
    await bots.sdk.client.startBot.mutate({ botId: bot.id, payload: {} });
    const [seen] = await first.atLeast(1);
    first.unsubscribe();
    const missed = [
      await bots.sdk.client.configureBot.mutate({ botId: bot.id, config: { level: 1 } }),
      await bots.sdk.client.restartBot.mutate({ botId: bot.id, payload: {} }),
      await bots.sdk.client.stopBot.mutate({ botId: bot.id, payload: {} }),
    ];
    const again = watchCommands(bots, bot.id, seen?.id);
    await again.started;
    const events = await again.atLeast(3);
    // Anything extra would have arrived with the replay, before this later command.
    await bots.sdk.client.startBot.mutate({ botId: bot.id, payload: {} });
    const all = await again.atLeast(4);
    again.unsubscribe();
    expect(events.map((event) => event.data.id)).toEqual(missed.map((command) => command.commandId));
    expect(all.map((event) => event.id)).toEqual(['2', '3', '4', '5']);
  });

  it('delivers from both replicas of the service', async () => {
    await using replica = await startBotControl({
      database: bots.database,
      env: { BOT_COMMANDS_BACKSTOP_MS: '600000' },
    });
    const bot = await newBot();
    const onFirst = watchCommands(bots, bot.id);
    const onSecond = watchCommands(replica, bot.id);
    await Promise.all([onFirst.started, onSecond.started]);
    const fromSecond = await replica.sdk.client.startBot.mutate({ botId: bot.id, payload: {} });
    const fromFirst = await bots.sdk.client.stopBot.mutate({ botId: bot.id, payload: {} });
    const [first, second] = await Promise.all([onFirst.atLeast(2), onSecond.atLeast(2)]);
    onFirst.unsubscribe();
    onSecond.unsubscribe();
    expect(first.map((event) => event.data.id)).toEqual([fromSecond.commandId, fromFirst.commandId]);
    expect(second.map((event) => event.data.id)).toEqual([fromSecond.commandId, fromFirst.commandId]);
  });

  it('closes the loop: ack and complete stream acked then done on onStatus and mark the bot running', async () => {
    const bot = await newBot();
    const status = collect<{
      id: string;
      data: { type: string; commandId: string | null; payload: unknown };
    }>((handlers) => bots.sdk.client.onStatus.subscribe({ botId: bot.id }, handlers));
    await status.started;
    const { commandId } = await bots.sdk.client.startBot.mutate({ botId: bot.id, payload: {} });
    await expectQueryBudget(() => bots.caller.ackCommand({ commandId }), 1);
    await expectQueryBudget(() => bots.caller.completeCommand({ commandId, ok: true }), 1);
    const events = await status.atLeast(2);
    status.unsubscribe();
    expect(events.map((event) => [event.id, event.data.type, event.data.commandId])).toEqual([
      ['1', 'acked', commandId],
      ['2', 'done', commandId],
    ]);
    expect(events[1]?.data.payload).toMatchObject({ command: 'START', botStatus: 'running' });
    expect((await bots.caller.getBot({ id: bot.id })).status).toBe('running');
    expect(await callError(bots.sdk.client.ackCommand.mutate({ commandId }))).toEqual({
      code: 'CONFLICT',
      meshCode: 'BOTS_COMMAND_STATE',
    });
  });

  it('answers an unknown bot or command with NOT_FOUND and bad input with BAD_REQUEST, writing nothing', async () => {
    const bot = await newBot();
    const before = await countRows(bots.database.url, 'bots.bot_commands');
    const unknown = randomUUID();
    expect(await callError(bots.sdk.client.startBot.mutate({ botId: unknown, payload: {} }))).toEqual({
      code: 'NOT_FOUND',
      meshCode: 'BOTS_NOT_FOUND',
    });
    expect(await callError(bots.sdk.client.completeCommand.mutate({ commandId: unknown, ok: true }))).toEqual(
      {
        code: 'NOT_FOUND',
        meshCode: 'BOTS_COMMAND_NOT_FOUND',
      },
    );
    expect(await badRequestPaths(bots.sdk.client.stopBot.mutate({ botId: 'bot-1', payload: {} }))).toEqual([
      'botId',
    ]);
    expect(await badRequestPaths(bots.sdk.client.configureBot.mutate({ botId: bot.id, config: {} }))).toEqual(
      ['config'],
    );
    expect(
      await badRequestPaths(bots.sdk.client.completeCommand.mutate({ commandId: unknown, ok: false })),
    ).toEqual(['error']);
    const unknownCommand = bots.sdk.client.startBot.mutate as unknown as (input: unknown) => Promise<unknown>;
    expect(await badRequestPaths(unknownCommand({ botId: bot.id, payload: 'LAUNCH' }))).toEqual(['payload']);
    const refused = collect((handlers) => bots.sdk.client.onCommand.subscribe({ botId: unknown }, handlers));
    await expect(refused.atLeast(1)).rejects.toMatchObject({
      data: { code: 'NOT_FOUND', meshCode: 'BOTS_NOT_FOUND' },
    });
    refused.unsubscribe();
    expect(await countRows(bots.database.url, 'bots.bot_commands')).toBe(before);
  });
});
