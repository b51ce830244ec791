import Fastify from 'fastify';

export interface TelegramCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeTelegram extends AsyncDisposable {
  /** The apiRoot to give the service (`<apiRoot>/bot<token>/<method>`). */
  url: string;
  calls: TelegramCall[];
  /** Called as each request arrives, before it is answered. */
  onCall?: (call: TelegramCall) => void;
  /** Milliseconds each answer waits (a slow Telegram). */
  delayMs: number;
}

/**
 * A local Bot API: speaks its HTTP shape (`POST /bot<token>/<method>`, JSON in, `{ ok, result }`
 * or `{ ok: false, error_code, description }` out) and records every call in arrival order.
 */
export async function startFakeTelegram(token: string): Promise<FakeTelegram> {
  const app = Fastify();
  const fake: FakeTelegram = {
    url: '',
    calls: [],
    delayMs: 0,
    async [Symbol.asyncDispose]() {
      await app.close();
    },
  };
  let messageId = 0;
  app.post<{ Params: { bot: string; method: string } }>('/:bot/:method', async (request, reply) => {
    if (request.params.bot !== `bot${token}`) {
      return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const call = { method: request.params.method, body: (request.body ?? {}) as Record<string, unknown> };
    fake.calls.push(call);
    fake.onCall?.(call);
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    switch (call.method) {
      case 'answerCallbackQuery':
        return { ok: true, result: true };
      case 'sendMessage':
        messageId += 1;
        return {
          ok: true,
          result: {
            message_id: messageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: call.body.chat_id },
            text: call.body.text,
          },
        };
      default:
        return reply
          .code(404)
          .send({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  fake.url = address;
  return fake;
}
