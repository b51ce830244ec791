import { connect, type IncomingHttpHeaders } from 'node:http2';
import { create, type DescMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { BotControlService } from '@mesh/contracts';
import { GetBotRequestSchema, OnCommandRequestSchema } from '@mesh/contracts/bot-control';
import { createService, procedure, readKitEnv, router } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { grpcUrlOf, type MeshServiceWithGrpc, withGrpcFace } from './with-grpc-face.js';

const TOKEN = 'a-test-token-of-enough-length';
const env = readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, LOG_LEVEL: 'silent' });

/** A query slower than the deadlines below, and a stream that only ends when its call does. */
const slowRouter = router({
  getBot: procedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { id: input.id, name: 'n', status: 'stopped', createdAt: new Date(), updatedAt: new Date() };
  }),
  onCommand: procedure.input(z.object({ botId: z.string() })).subscription(async function* ({ signal }) {
    await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
  }),
});

let service: MeshServiceWithGrpc<typeof slowRouter>;
beforeAll(async () => {
  service = withGrpcFace(
    await createService({
      name: 'bot-control',
      router: slowRouter,
      env,
      logger: createLogger({ name: 't', level: 'silent' }),
    }),
    { services: [BotControlService], port: 0, env },
  );
  await service.listen(0);
});
afterAll(() => service.close());

/** One call as a bare HTTP/2 client makes it, so what the server sends is all that is judged. */
async function rawCall<TDesc extends DescMessage>(
  path: string,
  desc: TDesc,
  message: MessageInitShape<TDesc>,
  timeout: string,
) {
  const session = connect(grpcUrlOf(service));
  try {
    const body = toBinary(desc, create(desc, message));
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(body.length, 1);
    const request = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${TOKEN}`,
      'grpc-timeout': timeout,
    });
    request.end(Buffer.concat([prefix, body]));
    let status: string | undefined;
    const take = (headers: IncomingHttpHeaders) => {
      if (headers['grpc-status'] !== undefined) status = String(headers['grpc-status']);
    };
    request.on('response', take);
    request.on('trailers', take);
    request.resume();
    await new Promise((resolve) => request.on('close', resolve));
    return status;
  } finally {
    session.close();
  }
}

describe('the gRPC fast path', () => {
  it("ends a unary call that outlives the client's grpc-timeout with DEADLINE_EXCEEDED", async () => {
    const status = await rawCall(
      '/mesh.bot_control.v1.BotControlService/GetBot',
      GetBotRequestSchema,
      { id: 'b1' },
      '50m',
    );
    expect(status).toBe('4');
  });

  it("ends a stream at the client's grpc-timeout with DEADLINE_EXCEEDED", async () => {
    const status = await rawCall(
      '/mesh.bot_control.v1.BotControlService/OnCommand',
      OnCommandRequestSchema,
      { botId: 'b1' },
      '100m',
    );
    expect(status).toBe('4');
  });

  it('answers a call within its grpc-timeout', async () => {
    const status = await rawCall(
      '/mesh.bot_control.v1.BotControlService/GetBot',
      GetBotRequestSchema,
      { id: 'b1' },
      '5S',
    );
    expect(status).toBe('0');
  });
});
