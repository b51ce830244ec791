import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeTelegram extends AsyncDisposable {
  /** What to give a bot as its API root (`TELEGRAM_API_ROOT`, grammY's `client.apiRoot`): requests arrive as `POST <apiRoot>/bot<token>/<method>`. */
  apiRoot: string;
  /** Every call with the right token, in arrival order. */
  calls: TelegramCall[];
  /** Called as each request arrives, before it is answered. */
  onCall?: ((call: TelegramCall) => void) | undefined;
  /** Milliseconds each answer waits (a slow Telegram). */
  delayMs: number;
}

type Answer = { status: number; body: unknown };

const failure = (status: number, description: string): Answer => ({
  status,
  body: { ok: false, error_code: status, description },
});

/**
 * A local Telegram Bot API: its HTTP shape (`POST /bot<token>/<method>`, JSON in,
 * `{ ok: true, result }` or `{ ok: false, error_code, description }` out) for the methods the
 * mesh's bots use (getMe, answerCallbackQuery, sendMessage). Plain node:http, so the testing
 * package needs no web framework of its own.
 */
export async function startFakeTelegram(token: string): Promise<FakeTelegram> {
  let messageId = 0;
  const results: Record<string, (body: Record<string, unknown>) => unknown> = {
    getMe: () => ({ id: 777, is_bot: true, first_name: 'Escrow', username: 'escrow_test_bot' }),
    answerCallbackQuery: () => true,
    sendMessage: (body) => ({
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: body.chat_id, type: 'private' },
      text: body.text,
    }),
  };

  const answer = async (path: string, text: string): Promise<Answer> => {
    const [, bot, method, ...rest] = path.split('?')[0]?.split('/') ?? [];
    if (!bot || !method || rest.length > 0) return failure(404, 'Not Found');
    if (bot !== `bot${token}`) return failure(401, 'Unauthorized');
    let body: Record<string, unknown>;
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return failure(400, 'Bad Request: the body is not JSON');
    }
    const call = { method, body };
    fake.calls.push(call);
    fake.onCall?.(call);
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    const result = results[method];
    if (!result) return failure(404, 'Not Found: method not found');
    return { status: 200, body: { ok: true, result: result(body) } };
  };

  const send = (response: ServerResponse, { status, body }: Answer) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    if (request.method !== 'POST') return send(response, failure(404, 'Not Found'));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      answer(request.url ?? '/', Buffer.concat(chunks).toString('utf8')).then(
        (result) => send(response, result),
        () => send(response, failure(500, 'Internal Server Error')),
      );
    });
  });
  const fake: FakeTelegram = {
    apiRoot: '',
    calls: [],
    delayMs: 0,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
