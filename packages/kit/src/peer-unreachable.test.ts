import { createServer } from 'node:net';
import { createServiceClient } from '@mesh/client';
import { createLogger } from '@mesh/telemetry';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createService } from './create-service.js';
import { readKitEnv } from './env.js';
import { defineErrors } from './mesh-error.js';
import { isPeerUnreachable } from './peer-unreachable.js';
import { procedure, router } from './trpc.js';

const TOKEN = 'test-token-0123456789abcdef';
const errors = defineErrors({ THING_MISSING: { code: 'NOT_FOUND', message: 'No such thing' } });

/** A port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const peerRouter = router({
  missing: procedure.query(() => {
    throw errors.create('THING_MISSING');
  }),
});

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function serve<TRouter extends Parameters<typeof createService>[0]['router']>(
  name: string,
  routes: TRouter,
) {
  const service = await createService({
    name,
    router: routes,
    env: readKitEnv({ MESH_SERVICE_TOKEN: TOKEN }),
    logger: createLogger({ name, level: 'silent' }),
    readiness: {},
  });
  const url = await service.listen(0);
  open.push(() => service.close());
  return url;
}

function clientOf<TRouter extends typeof peerRouter | ReturnType<typeof callerRouter>>(url: string) {
  const created = createServiceClient<TRouter>({ url, token: TOKEN, retries: 0, transport: 'http' });
  open.push(created.close);
  return created.client;
}

/** A service whose procedures call a peer at `peerUrl`, as analytics calls user-cache. */
function callerRouter(peerUrl: string) {
  const peer = createServiceClient<typeof peerRouter>({
    url: peerUrl,
    token: TOKEN,
    retries: 0,
    transport: 'http',
  });
  open.push(peer.close);
  return router({
    viaPeer: procedure.query(() => peer.client.missing.query()),
    broken: procedure.query(() => {
      throw new Error('a bug');
    }),
  });
}

async function rejection(promise: Promise<unknown>): Promise<TRPCClientError<typeof peerRouter>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof TRPCClientError) return error;
  throw new Error(`expected a TRPCClientError, got ${String(error)}`);
}

describe('a call that needs a peer that is down', () => {
  it('fails with SERVICE_UNAVAILABLE / PEER_UNAVAILABLE (503), not an internal error', async () => {
    const routes = callerRouter(`http://127.0.0.1:${await closedPort()}`);
    const caller = clientOf<typeof routes>(await serve('caller', routes));

    const error = await rejection(caller.viaPeer.query());

    expect(error.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      httpStatus: 503,
      meshCode: 'PEER_UNAVAILABLE',
    });
  });

  it("passes neither the peer's own typed error nor a bug off as the peer being down", async () => {
    const routes = callerRouter(await serve('peer', peerRouter));
    const caller = clientOf<typeof routes>(await serve('caller', routes));

    expect((await rejection(caller.viaPeer.query())).data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect((await rejection(caller.broken.query())).data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('isPeerUnreachable', () => {
  it('is true for a refused connection and false for an error the peer answered with', async () => {
    const down = createServiceClient<typeof peerRouter>({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: TOKEN,
      retries: 0,
      transport: 'http',
    });
    open.push(down.close);
    const up = clientOf<typeof peerRouter>(await serve('peer', peerRouter));

    expect(isPeerUnreachable(await rejection(down.client.missing.query()))).toBe(true);
    expect(isPeerUnreachable(await rejection(up.missing.query()))).toBe(false);
    expect(isPeerUnreachable(new Error('connect ECONNREFUSED'))).toBe(false);
  });
});
