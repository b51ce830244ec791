import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from './start-fake-telegram.js';

let telegram: FakeTelegram | undefined;
afterEach(async () => {
  await telegram?.[Symbol.asyncDispose]();
  telegram = undefined;
});

const post = async (url: string, body?: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
};

describe('startFakeTelegram', () => {
  it('answers the Bot API methods the bots use and records each call in order', async () => {
    telegram = await startFakeTelegram('123:ABC');
    const seen: string[] = [];
    telegram.onCall = (call) => seen.push(call.method);

    expect(await post(`${telegram.apiRoot}/bot123:ABC/getMe`)).toMatchObject({
      status: 200,
      body: { ok: true, result: { is_bot: true } },
    });
    expect(
      await post(`${telegram.apiRoot}/bot123:ABC/sendMessage`, { chat_id: 5, text: 'hi' }),
    ).toMatchObject({
      status: 200,
      body: { ok: true, result: { message_id: 1, chat: { id: 5 }, text: 'hi' } },
    });
    expect(
      await post(`${telegram.apiRoot}/bot123:ABC/answerCallbackQuery`, { callback_query_id: 'q' }),
    ).toEqual({
      status: 200,
      body: { ok: true, result: true },
    });

    expect(seen).toEqual(['getMe', 'sendMessage', 'answerCallbackQuery']);
    expect(telegram.calls[1]).toEqual({ method: 'sendMessage', body: { chat_id: 5, text: 'hi' } });
  });

  it('refuses another token (401) and an unknown method (404), as Telegram does', async () => {
    telegram = await startFakeTelegram('123:ABC');
    expect(await post(`${telegram.apiRoot}/bot999:XYZ/getMe`)).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect((await post(`${telegram.apiRoot}/bot123:ABC/sendRocket`)).body).toMatchObject({
      ok: false,
      error_code: 404,
    });
    expect(telegram.calls.map((call) => call.method)).toEqual(['sendRocket']);
  });
});
