import { Writable } from 'node:stream';
import { createLogger } from '@mesh/telemetry';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
  wsLink,
} from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createService, type MeshService } from '../create-service.js';
import { readKitEnv } from '../env.js';
import { type ConformanceRouter, conformanceRouter } from './conformance-router.js';

const TOKEN = 'conformance-token-0123456789';
const silent = createLogger({
  name: 'conformance',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

interface Server {
  service: MeshService<ConformanceRouter>;
  url: string;
}
const servers: Record<'official' | 'fast', Server> = {} as Record<'official' | 'fast', Server>;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  for (const [name, fast] of [
    ['official', 'false'],
    ['fast', 'true'],
  ] as const) {
    const env = readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, MAX_BATCH_SIZE: '4', TRPC_FAST_PATH: fast });
    const service = await createService({
      name: 'conformance',
      router: conformanceRouter,
      env,
      logger: silent,
    });
    servers[name] = { service, url: await service.listen(0) };
    closers.push(() => service.close());
  }
});
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

type LinkKind = 'httpLink' | 'httpBatchLink' | 'wsLink';

function clientFor(server: Server, kind: LinkKind, token = TOKEN): TRPCClient<ConformanceRouter> {
  const headers = () => ({ authorization: `Bearer ${token}` });
  let link: TRPCLink<ConformanceRouter>;
  if (kind === 'wsLink') {
    const ws = createWSClient({
      url: `${server.url.replace('http', 'ws')}/trpc`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { token },
    });
    closers.push(async () => ws.close());
    link = wsLink<ConformanceRouter>({ client: ws, transformer: superjson });
  } else {
    const factory = kind === 'httpLink' ? httpLink : httpBatchLink;
    link = factory<ConformanceRouter>({ url: `${server.url}/trpc`, transformer: superjson, headers });
  }
  return createTRPCClient<ConformanceRouter>({ links: [link] });
}

/** A call's outcome in comparable form: the value, or everything a caller can see of the error. */
async function outcome(call: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await call };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return { error: { message: error.message, shape: error.shape, data: error.data } };
  }
}

type Scenario = (client: TRPCClient<ConformanceRouter>) => Promise<unknown>;

const scenarios: Record<string, Scenario> = {
  'BigInt and Date in and out': (c) =>
    c.echo.query({ id: 9007199254740993n, at: new Date('2026-01-01T00:00:00Z') }),
  'a query without input': (c) => c.noInput.query(),
  'an undefined result': (c) => c.nothing.query(),
  'a mutation': (c) => c.save.mutate({ name: 'widget' }),
  'bad input': (c) => c.echo.query({ id: 1n, at: new Date(), note: 'far too long' }),
  'a thrown domain error': (c) => c.missing.query({ id: 7 }),
  'a thrown TRPCError': (c) => c.conflict.mutate(),
  'an unknown error': (c) => c.crash.query(),
  'an invalid output': (c) => c.badOutput.query(),
  'a public procedure': (c) => c.open.query(),
};

async function bothOutcomes(kind: LinkKind, scenario: Scenario, token?: string) {
  const official = await outcome(scenario(clientFor(servers.official, kind, token)));
  const fast = await outcome(scenario(clientFor(servers.fast, kind, token)));
  return { official, fast };
}

function handlerCount(server: Server, handler: 'fast' | 'adapter'): Promise<number> {
  return server.service.metrics.registry
    .getSingleMetric('mesh_trpc_http_requests_total')
    ?.get()
    .then(
      (metric) => metric.values.find((value) => value.labels.handler === handler)?.value ?? 0,
    ) as Promise<number>;
}

describe('fast path conformance with the official adapter', () => {
  for (const kind of ['httpLink', 'httpBatchLink', 'wsLink'] as const) {
    for (const [name, scenario] of Object.entries(scenarios)) {
      it(`${kind}: ${name} gives the same answer`, async () => {
        const { official, fast } = await bothOutcomes(kind, scenario);
        expect(fast).toEqual(official);
      });
    }
    it(`${kind}: a wrong token is UNAUTHORIZED on both`, async () => {
      const { official, fast } = await bothOutcomes(kind, (c) => c.noInput.query(), 'wrong-token-0123456789');
      expect(fast).toEqual(official);
      expect((fast as { error: { data: { code: string } } }).error.data.code).toBe('UNAUTHORIZED');
    });
  }

  it('httpBatchLink: one batch mixing success and errors gives the same answers', async () => {
    const batch = (c: TRPCClient<ConformanceRouter>) =>
      Promise.all([
        outcome(c.echo.query({ id: 1n, at: new Date(5) })),
        outcome(c.missing.query({ id: 1 })),
        outcome(c.echo.query({ id: 2n, at: 'nope' as unknown as Date })),
        outcome(c.noInput.query()),
      ]);
    const official = await batch(clientFor(servers.official, 'httpBatchLink'));
    const fast = await batch(clientFor(servers.fast, 'httpBatchLink'));
    expect(fast).toEqual(official);
    expect((fast[0] as { ok: { next: bigint } }).ok.next).toBe(2n);
  });

  it('wsLink: a subscription streams the same values', async () => {
    const collect = (c: TRPCClient<ConformanceRouter>) =>
      new Promise<unknown[]>((resolve, reject) => {
        const seen: unknown[] = [];
        c.ticks.subscribe(
          { count: 3 },
          { onData: (value) => seen.push(value), onComplete: () => resolve(seen), onError: reject },
        );
      });
    const official = await collect(clientFor(servers.official, 'wsLink'));
    expect(await collect(clientFor(servers.fast, 'wsLink'))).toEqual(official);
    expect(official).toHaveLength(3);
  });

  it('serves plain calls itself and hands everything else to the adapter', async () => {
    const before = {
      fast: await handlerCount(servers.fast, 'fast'),
      adapter: await handlerCount(servers.fast, 'adapter'),
    };
    await clientFor(servers.fast, 'httpBatchLink').noInput.query();
    expect(await handlerCount(servers.fast, 'fast')).toBe(before.fast + 1);
    await fetch(`${servers.fast.url}/trpc/nope`);
    expect(await handlerCount(servers.fast, 'adapter')).toBe(before.adapter + 1);
  });
});

describe('fast path conformance on the wire', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
  const requests: Record<string, [string, RequestInit?]> = {
    'a single GET': [`/trpc/noInput`],
    'a batched GET': [`/trpc/noInput,missing?batch=1&input=${input({ 1: { json: { id: 3 } } })}`],
    'a batch whose calls all fail alike': [
      `/trpc/missing,missing?batch=1&input=${input({ 0: { json: { id: 1 } }, 1: { json: { id: 2 } } })}`,
    ],
    'a POST mutation': [
      `/trpc/save`,
      {
        method: 'POST',
        body: JSON.stringify({ json: { name: 'x' } }),
        headers: { 'content-type': 'application/json' },
      },
    ],
    'an unknown procedure': [`/trpc/nope`],
    'a query sent as POST': [
      `/trpc/noInput`,
      { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
    ],
    'a mutation sent as GET': [`/trpc/save`],
    'malformed JSON input': [`/trpc/echo?input=%7Bnot-json`],
    'a batch over the limit': [`/trpc/noInput,noInput,noInput,noInput,noInput?batch=1`],
    'a batch input that is not an object': [`/trpc/noInput?batch=1&input=${input('text')}`],
    'an input superjson cannot decode, in a batch': [
      `/trpc/missing,missing?batch=1&input=${input({ 0: { json: { id: 1 } }, 1: { json: { id: 2 }, meta: { values: ['bogus'] } } })}`,
    ],
    'a POST without a content type': [`/trpc/conflict`, { method: 'POST' }],
    'a JSONL accept header': [`/trpc/noInput?batch=1`, { headers: { accept: 'application/jsonl' } }],
    'a repeated batch parameter': [`/trpc/noInput?batch=1&batch=1`],
  };

  it('refuses a token sent in the URL on both', async () => {
    const params = encodeURIComponent(JSON.stringify({ token: TOKEN }));
    for (const server of [servers.official, servers.fast]) {
      const response = await fetch(`${server.url}/trpc/noInput?connectionParams=${params}`);
      expect(response.status).toBe(401);
    }
  });

  for (const [name, [path, init]] of Object.entries(requests)) {
    it(`${name}: same status, content type and body`, async () => {
      const answer = async (server: Server) => {
        const response = await fetch(`${server.url}${path}`, {
          ...init,
          headers: { ...auth, ...init?.headers },
        });
        return {
          status: response.status,
          contentType: response.headers.get('content-type'),
          vary: response.headers.get('vary'),
          allow: response.headers.get('allow'),
          body: await response.text(),
        };
      };
      const official = await answer(servers.official);
      expect(await answer(servers.fast)).toEqual(official);
    });
  }
});
