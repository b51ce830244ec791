import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { BotControlService } from '@mesh/contracts';
import { createService, procedure, readKitEnv, router } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { tracked } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { grpcUrlOf, withGrpcFace } from './with-grpc-face.js';

const TOKEN = 'a-test-token-of-enough-length';
const env = readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, LOG_LEVEL: 'silent' });
const bot = {
  id: 'b1',
  name: 'n',
  status: 'stopped',
  createdAt: new Date(),
  updatedAt: new Date(),
  lastCommandSeq: 0n,
  lastEventSeq: 0n,
};

/** Two procedures named like bot-control's: a slow query and an endless subscription. */
function testRouter(gate: Promise<void>) {
  return router({
    getBot: procedure.input(z.object({ id: z.string() })).query(async () => {
      await gate;
      return bot;
    }),
    onCommand: procedure
      .input(z.object({ botId: z.string(), lastEventId: z.string().optional() }))
      .subscription(async function* ({ signal }) {
        yield tracked('1', {
          id: 'c1',
          botId: 'b1',
          seq: 1n,
          command: 'START',
          payload: {},
          status: 'pending',
          createdAt: new Date(),
        });
        await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
      }),
  });
}

describe('the gRPC face beside a service', () => {
  it.each([
    ['the gRPC fast path', true],
    ["Connect's adapter", false],
  ])(
    'on close, through %s, ends open streams and lets a running unary call answer',
    async (_through, fastPath) => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const service = withGrpcFace(
        await createService({
          name: 'bot-control',
          router: testRouter(gate),
          env,
          logger: createLogger({ name: 't', level: 'silent' }),
        }),
        { services: [BotControlService], port: 0, env, fastPath },
      );
      await service.listen(0);
      const client = createClient(
        BotControlService,
        createGrpcTransport({
          baseUrl: grpcUrlOf(service),
          interceptors: [
            (next) => (req) => {
              req.header.set('authorization', `Bearer ${TOKEN}`);
              return next(req);
            },
          ],
        }),
      );

      const stream = client.onCommand({ botId: 'b1' })[Symbol.asyncIterator]();
      expect((await stream.next()).value).toMatchObject({ eventId: '1', command: 1 });
      const slow = client.getBot({ id: 'b1' });
      await new Promise((resolve) => setTimeout(resolve, 50));

      const closing = service.close();
      open();
      expect((await slow).bot).toMatchObject({ id: 'b1', lastCommandSeq: 0n });
      const ended = await stream.next().then(
        (result) => ({ done: result.done, code: undefined }),
        (error: unknown) => ({ done: true, code: ConnectError.from(error).code }),
      );
      expect(ended.done).toBe(true);
      expect([undefined, Code.Canceled, Code.Aborted, Code.Unavailable]).toContain(ended.code);
      await closing;
    },
  );
});

describe('the gRPC fast path', () => {
  it.each([
    ['the gRPC fast path', true],
    ["Connect's adapter", false],
  ])('refuses a wrong token and answers the right one alike through %s', async (_through, fastPath) => {
    const service = withGrpcFace(
      await createService({
        name: 'bot-control',
        router: testRouter(Promise.resolve()),
        env,
        logger: createLogger({ name: 't', level: 'silent' }),
      }),
      { services: [BotControlService], port: 0, env, fastPath },
    );
    await service.listen(0);
    try {
      const client = (token: string) =>
        createClient(
          BotControlService,
          createGrpcTransport({
            baseUrl: grpcUrlOf(service),
            interceptors: [
              (next) => (req) => {
                req.header.set('authorization', `Bearer ${token}`);
                return next(req);
              },
            ],
          }),
        );
      const refused = await client('wrong')
        .getBot({ id: 'b1' })
        .catch((error: unknown) => ConnectError.from(error));
      expect((refused as ConnectError).code).toBe(Code.Unauthenticated);
      await expect(client(TOKEN).getBot({ id: 'b1' })).resolves.toMatchObject({ bot: { id: 'b1' } });
    } finally {
      await service.close();
    }
  });
});
