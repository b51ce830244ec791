import Fastify from 'fastify';

export interface BotApiCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeBotApi extends AsyncDisposable {
  /** grammY's `client.apiRoot`: requests arrive as `POST <apiRoot>/bot<token>/<method>`. */
  apiRoot: string;
  calls: BotApiCall[];
  /** Called as each request arrives, before it is answered. */
  onCall?: (call: BotApiCall) => void;
}

/**
 * The Telegram Bot API as a bot sees it: JSON in, `{ ok: true, result }` out (or
 * `{ ok: false, error_code, description }`), for the methods the escrow bot uses.
 */
export async function startFakeBotApi(token: string): Promise<FakeBotApi> {
  const app = Fastify();
  const fake: FakeBotApi = {
    apiRoot: '',
    calls: [],
    async [Symbol.asyncDispose]() {
      await app.close();
    },
  };
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
  app.post<{ Params: { bot: string; method: string } }>('/:bot/:method', async (request, reply) => {
    if (request.params.bot !== `bot${token}`)
      return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
    const call = { method: request.params.method, body: (request.body ?? {}) as Record<string, unknown> };
    fake.calls.push(call);
    fake.onCall?.(call);
    const result = results[call.method];
    if (!result) return reply.code(404).send({ ok: false, error_code: 404, description: 'Not Found' });
    return { ok: true, result: result(call.body) };
  });
  fake.apiRoot = await app.listen({ port: 0, host: '127.0.0.1' });
  return fake;
}
