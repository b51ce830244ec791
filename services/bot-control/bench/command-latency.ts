import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceClient } from '@mesh/client';
import type pg from 'pg';
import type { BotControlRouter } from '../src/router.js';

/**
 * The mesh: one subscriber on `onCommand` over the SDK's websocket; each command's time from
 * just before `startBot` to its arrival at the subscriber, one command at a time.
 */
export async function subscriptionLatencies(
  client: ServiceClient<BotControlRouter>['client'],
  botId: string,
  count: number,
) {
  const latencies: number[] = [];
  let arrived: (() => void) | undefined;
  let started: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const subscription = client.onCommand.subscribe(
    { botId },
    { onStarted: () => started(), onData: () => arrived?.(), onError: () => {} },
  );
  try {
    await ready;
    for (let i = 0; i < count; i++) {
      const delivered = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const t0 = performance.now();
      await client.startBot.mutate({ botId, payload: { i } });
      await delivered;
      latencies.push(performance.now() - t0);
    }
  } finally {
    subscription.unsubscribe();
  }
  return latencies;
}

/**
 * The old way: the bot polls its control table every 5 s. Commands are written at even
 * spacing over `windowMs` (as users press start at any moment); each one's latency is from
 * its write to the poll that sees it.
 */
export async function pollingLatencies(pool: pg.Pool, botId: string, count: number, windowMs: number) {
  const written = new Map<string, number>();
  const latencies: number[] = [];
  let done = false;
  let lastWritten = 0n;
  const { rows: last } = await pool.query<{ seq: string }>(
    'SELECT last_command_seq::text AS seq FROM bots.bots WHERE id = $1',
    [botId],
  );
  let after = last[0]?.seq ?? '0';
  const poller = (async () => {
    // Until the poll has seen the last command written (a row seen before its writer noted the
    // time, a rare race, is left out rather than guessed).
    while (!done || BigInt(after) < lastWritten) {
      await sleep(5_000);
      const { rows } = await pool.query<{ seq: string }>(
        'SELECT seq::text FROM bots.bot_commands WHERE bot_id = $1 AND seq > $2 ORDER BY seq',
        [botId, after],
      );
      const now = performance.now();
      for (const row of rows) {
        const t0 = written.get(row.seq);
        if (t0 !== undefined) latencies.push(now - t0);
        after = row.seq;
      }
    }
  })();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * windowMs) / count;
    await sleep(Math.max(0, due - performance.now()));
    const t0 = performance.now();
    const { rows } = await pool.query<{ seq: string }>(
      `WITH b AS (UPDATE bots.bots SET last_command_seq = last_command_seq + 1 WHERE id = $1 RETURNING id, last_command_seq)
       INSERT INTO bots.bot_commands (id, bot_id, seq, command) SELECT gen_random_uuid(), b.id, b.last_command_seq, 'START' FROM b
       RETURNING seq::text`,
      [botId],
    );
    if (rows[0]) {
      written.set(rows[0].seq, t0);
      lastWritten = BigInt(rows[0].seq);
    }
  }
  done = true;
  await poller;
  return latencies;
}
