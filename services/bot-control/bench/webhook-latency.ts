import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeTelegram } from '@mesh/testing';
import Fastify from 'fastify';
import type { TelegramApi } from '../src/webhook/telegram-api.js';

export const WORK_MS = 500;

/**
 * Presses `count` buttons against `url` (`concurrency` at a time) and returns, per press,
 * the time from sending the update to the fake Bot API receiving its answerCallbackQuery:
 * how long the user's button spins.
 */
export async function answerLatencies(options: {
  url: string;
  secret: string;
  telegram: FakeTelegram;
  count: number;
  concurrency: number;
  firstUpdateId: number;
}): Promise<{ latencies: number[]; errors: number }> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const previous = options.telegram.onCall;
  options.telegram.onCall = (call) => {
    const id = call.body.callback_query_id;
    const t0 = typeof id === 'string' ? sentAt.get(id) : undefined;
    if (call.method === 'answerCallbackQuery' && t0 !== undefined) latencies.push(performance.now() - t0);
  };
  let errors = 0;
  let next = 0;
  const press = async () => {
    while (next < options.count) {
      const updateId = options.firstUpdateId + next++;
      const id = `bench-${updateId}`;
      sentAt.set(id, performance.now());
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': options.secret },
        body: JSON.stringify({
          update_id: updateId,
          callback_query: {
            id,
            from: { id: 42 },
            data: 'escrows',
            message: { message_id: 1, chat: { id: 42 } },
          },
        }),
      });
      if (response.status !== 200) errors += 1;
      await response.arrayBuffer();
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, press));
  } finally {
    options.telegram.onCall = previous;
  }
  return { latencies, errors: errors + (options.count - latencies.length) };
}

/** The escrow bot's old handler: the button's work (500 ms) first, the answer after it. */
export async function startAnswerAfterWork(
  telegram: TelegramApi,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify();
  app.post('/telegram/webhook', async (request) => {
    const update = request.body as { callback_query?: { id: string } };
    await sleep(WORK_MS);
    if (update.callback_query)
      await telegram.call('answerCallbackQuery', { callback_query_id: update.callback_query.id });
    return {};
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/telegram/webhook`, close: () => app.close() };
}
