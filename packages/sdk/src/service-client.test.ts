// The service client (@mesh/client, published by the SDK) against a real kit service. It is
// tested here rather than beside its code because @mesh/client cannot depend on the kit: the
// kit's own tests call it.
import { Writable } from 'node:stream';
import { createService, type MeshService, procedure, readKitEnv, router } from '@mesh/kit';
import { createLogger, startTelemetry, type Telemetry } from '@mesh/telemetry';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createServiceClient, MeshTimeoutError, type ServiceClientOptions } from './index.js';

const TOKEN = 'sdk-test-token-0123456789';
const attempts = { flakyQuery: 0, flakyMutation: 0 };

function failTwiceThenSucceed(key: keyof typeof attempts) {
  attempts[key] += 1;
  if (attempts[key] <= 2) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'warming up' });
  return { attempts: attempts[key] };
}

const testRouter = router({
  flakyQuery: procedure.query(() => failTwiceThenSucceed('flakyQuery')),
  flakyMutation: procedure.mutation(() => failTwiceThenSucceed('flakyMutation')),
  sleep: procedure.input(z.object({ ms: z.number() })).query(async ({ input }) => {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return input.ms;
  }),
  whoami: procedure.query(() => trace.getActiveSpan()?.spanContext().traceId ?? null),
  whoamiWith: procedure
    .input(z.object({ tag: z.string() }))
    .query(() => trace.getActiveSpan()?.spanContext().traceId ?? null),
  missingWith: procedure.input(z.object({ tag: z.string() })).query(() => {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'no such thing' });
  }),
});

const env = readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '2000' });

const exporter = new InMemorySpanExporter();
const requests: string[] = [];
let upgrades = 0;
let telemetry: Telemetry;
let service: MeshService<typeof testRouter>;
let url: string;

beforeAll(async () => {
  telemetry = startTelemetry({
    serviceName: 'sdk-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const logger = createLogger({
    name: 'sdk-test',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  service = await createService({ name: 'sdk-test', router: testRouter, env, logger });
  service.app.addHook('onRequest', async (request) => {
    if (request.headers.upgrade) upgrades++;
    // Calls only (`/trpc/<path>`), not websocket upgrades (`/trpc`).
    if (request.url.startsWith('/trpc/')) requests.push(String(request.headers.traceparent ?? ''));
  });
  url = await service.listen(0);
});
afterAll(async () => {
  await service?.close();
  await telemetry?.shutdown();
});
beforeEach(() => {
  attempts.flakyQuery = 0;
  attempts.flakyMutation = 0;
  requests.length = 0;
});

type Transport = 'http' | 'fetch' | 'websocket';

/** Lets a websocket pool's sockets open (calls go over HTTP until then), then forgets the requests seen. */
async function warmUp(sdk: ReturnType<typeof client>) {
  await Promise.all([sdk.whoamiWith.query({ tag: 'warm' }), sdk.whoamiWith.query({ tag: 'warm' })]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  requests.length = 0;
}
const transports: Transport[] = ['websocket', 'http', 'fetch'];
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

function client(options: Omit<ServiceClientOptions, 'url' | 'token'> = {}) {
  const created = createServiceClient<typeof testRouter>({ url, token: TOKEN, ...options });
  closers.push(created.close);
  return created.client;
}

describe('createServiceClient', () => {
  it('retries a query that failed transiently, with backoff', async () => {
    await expect(client({ retries: 2 }).flakyQuery.query()).resolves.toEqual({ attempts: 3 });
    expect(attempts.flakyQuery).toBe(3);
  });

  it('never retries a mutation', async () => {
    const error = await client({ retries: 2 })
      .flakyMutation.mutate()
      .catch((caught: unknown) => caught);
    expect((error as TRPCClientError<typeof testRouter>).data?.code).toBe('SERVICE_UNAVAILABLE');
    expect(attempts.flakyMutation).toBe(1);
  });

  for (const transport of transports) {
    it(`${transport}: fails a call that outlives its timeout, and a call may set its own`, async () => {
      const error = await client({ timeoutMs: 100, retries: 0, transport })
        .sleep.query({ ms: 400 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<typeof testRouter>).cause).toBeInstanceOf(MeshTimeoutError);
      await expect(
        client({ timeoutMs: 100, transport }).sleep.query({ ms: 150 }, { context: { timeoutMs: 1000 } }),
      ).resolves.toBe(150);
    });

    it(`${transport}: keeps two traces apart when their calls are made in the same tick`, async () => {
      const sdk = client({ transport });
      await warmUp(sdk);
      const tracer = trace.getTracer('sdk-test');
      const inTrace = (name: string) =>
        tracer.startActiveSpan(name, async (span) => {
          const seen = await sdk.whoamiWith.query({ tag: name });
          span.end();
          return { own: span.spanContext().traceId, seen };
        });
      const [first, second] = await Promise.all([inTrace('first'), inTrace('second')]);
      expect(first.own).not.toBe(second.own);
      expect(first.seen).toBe(first.own);
      expect(second.seen).toBe(second.own);
      // Over HTTP each trace gets its own request; a websocket carries both on one socket.
      expect(requests).toHaveLength(transport === 'websocket' ? 0 : 2);
    });
  }

  it('websocket: each call gets a client span under its caller, and the service span hangs under it with a batch of 1', async () => {
    const sdk = client({ transport: 'websocket' });
    await warmUp(sdk);
    exporter.reset();
    const caller = await trace.getTracer('sdk-test').startActiveSpan('caller', async (span) => {
      await Promise.all([sdk.whoamiWith.query({ tag: 'a' }), sdk.whoamiWith.query({ tag: 'b' })]);
      span.end();
      return span.spanContext();
    });
    expect(requests).toHaveLength(0);
    const spans = exporter.getFinishedSpans();
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(clients.map((span) => span.name)).toEqual(['query whoamiWith', 'query whoamiWith']);
    for (const span of clients) {
      expect(span.spanContext().traceId).toBe(caller.traceId);
      expect(span.parentSpanContext?.spanId).toBe(caller.spanId);
      expect(span.attributes).toMatchObject({
        'rpc.system': 'trpc',
        'rpc.method': 'whoamiWith',
        'mesh.result_code': 'OK',
      });
    }
    const served = spans.filter((span) => span.name === 'sdk-test.whoamiWith');
    expect(served.map((span) => span.parentSpanContext?.spanId).sort()).toEqual(
      clients.map((span) => span.spanContext().spanId).sort(),
    );
    for (const span of served) expect(span.attributes['mesh.batch_size']).toBe(1);
  });

  it('websocket: a call that fails ends its client span with the error code', async () => {
    const sdk = client({ transport: 'websocket', retries: 0 });
    await warmUp(sdk);
    exporter.reset();
    const error = await sdk.missingWith.query({ tag: 'x' }).catch((caught: unknown) => caught);
    expect((error as TRPCClientError<typeof testRouter>).data?.code).toBe('NOT_FOUND');
    expect(requests).toHaveLength(0);
    const [span] = exporter.getFinishedSpans().filter((each) => each.kind === SpanKind.CLIENT);
    expect(span?.name).toBe('query missingWith');
    expect(span?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'NOT_FOUND' });
    expect(span?.attributes['mesh.result_code']).toBe('NOT_FOUND');
    const served = exporter.getFinishedSpans().find((each) => each.name === 'sdk-test.missingWith');
    expect(served?.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
  });

  it('websocket: sends calls over HTTP until a socket is open, then over the socket', async () => {
    const sdk = client({ transport: 'websocket' });
    await sdk.whoamiWith.query({ tag: 'first' });
    expect(requests).toHaveLength(1);
    await warmUp(sdk);
    await sdk.whoamiWith.query({ tag: 'later' });
    expect(requests).toHaveLength(0);
  });

  it('websocket: replaces sockets that grew old, so a long-lived client reaches new replicas', async () => {
    const sdk = client({ transport: 'websocket', connectionMaxAgeMs: 50 });
    const before = upgrades;
    // Sockets open in the background (calls meanwhile go over HTTP), so their upgrades are awaited.
    await Promise.all([sdk.whoamiWith.query({ tag: 'a' }), sdk.whoamiWith.query({ tag: 'b' })]);
    await vi.waitFor(() => expect(upgrades - before).toBe(2));
    await sdk.whoamiWith.query({ tag: 'c' });
    expect(upgrades - before).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await Promise.all([sdk.whoamiWith.query({ tag: 'd' }), sdk.whoamiWith.query({ tag: 'e' })]);
    await vi.waitFor(() => expect(upgrades - before).toBe(4));
  });

  it('websocket: a call to a service that is down fails with the refusal, not after its timeout', async () => {
    const down = createServiceClient<typeof testRouter>({
      url: 'http://127.0.0.1:9',
      token: TOKEN,
      retries: 0,
      timeoutMs: 20_000,
    });
    closers.push(down.close);
    const error = await down.client.whoamiWith.query({ tag: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<typeof testRouter>).cause).not.toBeInstanceOf(MeshTimeoutError);
    expect(String((error as Error).message)).toMatch(/ECONNREFUSED|fetch failed|connect/i);
  });

  it('websocket: a call without input goes over HTTP and keeps its own trace', async () => {
    const sdk = client({ transport: 'websocket' });
    const { own, seen } = await trace.getTracer('sdk-test').startActiveSpan('no input', async (span) => {
      const answer = await sdk.whoami.query();
      span.end();
      return { own: span.spanContext().traceId, seen: answer };
    });
    expect(seen).toBe(own);
    expect(requests).toHaveLength(1);
  });

  it('http: batches calls of one trace made in the same tick into one request', async () => {
    const sdk = client({ transport: 'http' });
    await trace.getTracer('sdk-test').startActiveSpan('batch', async (span) => {
      const results = await Promise.all([
        sdk.sleep.query({ ms: 1 }),
        sdk.sleep.query({ ms: 2 }),
        sdk.whoami.query(),
      ]);
      expect(results[2]).toBe(span.spanContext().traceId);
      span.end();
    });
    expect(requests).toHaveLength(1);
  });
});
