import { Writable } from 'node:stream';
import { createServiceClient } from '@mesh/client';
import { createLogger } from '@mesh/telemetry';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createService, type MeshService } from './create-service.js';
import { readKitEnv } from './env.js';
import { defineErrors } from './mesh-error.js';
import { procedure, router } from './trpc.js';

const TOKEN = 'test-token-0123456789abcdef';
const SECRET_DETAIL = 'password=hunter2 at db.internal';

const errors = defineErrors({ THING_MISSING: { code: 'NOT_FOUND', message: 'No such thing' } });

function createTestRouter() {
  return router({
    echo: procedure
      .input(z.object({ id: z.bigint(), at: z.date(), tags: z.array(z.string().min(2)).max(3) }))
      .query(({ input }) => ({ ...input, doubled: input.id * 2n })),
    fail: procedure.query(() => {
      throw new Error(SECRET_DETAIL);
    }),
    missing: procedure.query(() => {
      throw errors.create('THING_MISSING');
    }),
    slow: procedure.input(z.object({ ms: z.number().int().max(2000) })).mutation(async ({ input }) => {
      await new Promise((resolve) => setTimeout(resolve, input.ms));
      return { waited: input.ms };
    }),
    ticks: procedure.input(z.object({ count: z.number().int().max(10) })).subscription(async function* ({
      input,
    }) {
      for (let tick = 1; tick <= input.count; tick++) yield tick;
    }),
  });
}

const env = readKitEnv({
  MESH_SERVICE_TOKEN: TOKEN,
  SLOW_REQUEST_MS: '150',
  BODY_LIMIT_BYTES: '4096',
  MAX_BATCH_SIZE: '5',
  SHUTDOWN_TIMEOUT_MS: '5000',
});

interface Harness {
  service: MeshService<ReturnType<typeof createTestRouter>>;
  url: string;
  logs: Array<Record<string, unknown>>;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

async function start(readiness: Parameters<typeof createService>[0]['readiness'] = {}): Promise<Harness> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ name: 'kit-test', destination });
  const service = await createService({
    name: 'kit-test',
    router: createTestRouter(),
    env,
    logger,
    readiness,
  });
  const url = await service.listen(0);
  open.push(() => service.close());
  return { service, url, logs };
}

function client(url: string, token = TOKEN, transport: 'http' | 'websocket' = 'websocket') {
  const created = createServiceClient<ReturnType<typeof createTestRouter>>({
    url,
    token,
    retries: 0,
    maxBatchSize: 5,
    transport,
  });
  open.push(created.close);
  return created.client;
}

async function rejection(
  promise: Promise<unknown>,
): Promise<TRPCClientError<ReturnType<typeof createTestRouter>>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createService', () => {
  it('round-trips BigInt and Date through superjson', async () => {
    const { url } = await start();
    const at = new Date('2026-01-02T03:04:05Z');
    const result = await client(url).echo.query({ id: 21n, at, tags: ['ab'] });
    expect(result).toEqual({ id: 21n, at, tags: ['ab'], doubled: 42n });
  });

  it('refuses a call without the token or with a wrong one as UNAUTHORIZED', async () => {
    const { url } = await start();
    const wrong = await rejection(
      client(url, 'wrong-token-0123456789').echo.query({ id: 1n, at: new Date(), tags: [] }),
    );
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    expect(wrong.data?.httpStatus).toBe(401);
    const response = await fetch(`${url}/trpc/echo`);
    expect(response.status).toBe(401);
  });

  it('answers bad input with BAD_REQUEST naming each failing field', async () => {
    const { url } = await start();
    const error = await rejection(
      client(url).echo.query({ id: 1n, at: 'yesterday' as unknown as Date, tags: ['x'] }),
    );
    expect(error.data?.code).toBe('BAD_REQUEST');
    const paths = (error.data as { issues?: Array<{ path: string }> }).issues?.map((issue) => issue.path);
    expect(paths?.sort()).toEqual(['at', 'tags.0']);
    expect(error.message).toContain('tags.0');
  });

  it('turns an unknown error into INTERNAL_SERVER_ERROR without leaking the cause, and logs it', async () => {
    const { url, logs } = await start();
    const error = await rejection(client(url).fail.query());
    expect(error.data?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).toBe('Internal server error');
    expect(JSON.stringify(error.shape)).not.toContain('hunter2');
    const logged = logs.find((line) => line.msg === 'procedure failed');
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  it('gives a domain error its tRPC code and registry code', async () => {
    const { url } = await start();
    const error = await rejection(client(url).missing.query());
    expect(error.data?.code).toBe('NOT_FOUND');
    expect((error.data as { meshCode?: string }).meshCode).toBe('THING_MISSING');
  });

  it('serves health and metrics without a token, with X-Response-Time on every response', async () => {
    const { url } = await start({ postgres: async () => 'ok', redis: null });
    await client(url).echo.query({ id: 1n, at: new Date(), tags: [] });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-response-time')).toMatch(/^\d+\.\d{2}ms$/);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'disabled' } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/mesh_procedure_calls_total\{[^}]*procedure="echo"[^}]*code="OK"[^}]*\} 1/);
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('reports not ready when a dependency is down', async () => {
    const { url } = await start({
      postgres: async () => {
        throw new Error('connection refused');
      },
    });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, checks: { postgres: 'down' } });
  });

  it('serves a full batch of long procedure names in one request', async () => {
    const { service, url } = await start();
    const sdk = createServiceClient<ReturnType<typeof createTestRouter>>({
      url,
      token: TOKEN,
      retries: 0,
      maxBatchSize: 5,
    });
    open.push(sdk.close);
    const at = new Date();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        sdk.client.echo.query({ id: BigInt(index), at, tags: ['x'.repeat(40)] }),
      ),
    );
    expect(results.map((result) => result.doubled)).toEqual([0n, 2n, 4n, 6n, 8n]);
    const long = Array.from({ length: 5 }, () => 'echo').join(',');
    const response = await service.app.inject({
      method: 'GET',
      url: `/trpc/${long},${'a'.repeat(120)}?batch=1&input={}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).not.toBe(414);
  });

  it('caps batch size and body size', async () => {
    const { url } = await start();
    const paths = Array.from({ length: 6 }, () => 'missing').join(',');
    const batch = await fetch(`${url}/trpc/${paths}?batch=1&input={}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(batch.status).toBe(400);
    const body = await fetch(`${url}/trpc/slow`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { ms: 1, pad: 'x'.repeat(8000) } }),
    });
    expect(body.status).toBe(413);
  });

  it('logs a slow request', async () => {
    const { url, logs } = await start();
    await client(url, TOKEN, 'http').slow.mutate({ ms: 200 });
    // The line is written once the response has gone, so it may trail the answer a little.
    await vi.waitFor(() =>
      expect(logs.some((line) => line.msg === 'slow request' && line.url === '/trpc/slow?batch=1')).toBe(
        true,
      ),
    );
  });

  it('streams a subscription over the websocket, with the token in the connection params', async () => {
    const { url } = await start();
    const ticks = await new Promise<number[]>((resolve, reject) => {
      const seen: number[] = [];
      client(url).ticks.subscribe(
        { count: 3 },
        { onData: (tick) => seen.push(tick), onComplete: () => resolve(seen), onError: reject },
      );
    });
    expect(ticks).toEqual([1, 2, 3]);
  });

  for (const transport of ['http', 'websocket'] as const) {
    it(`finishes an in-flight call over ${transport} during shutdown and then refuses connections`, async () => {
      const { service, url } = await start();
      const inFlight = client(url, TOKEN, transport).slow.mutate({ ms: 300 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await service.close();
      await expect(inFlight).resolves.toEqual({ waited: 300 });
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    });
  }
});
