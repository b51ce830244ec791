import { get, type IncomingHttpHeaders, request } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createService, type MeshService } from '../create-service.js';
import { readKitEnv } from '../env.js';
import { procedure, router } from '../trpc.js';

const TOKEN = 'front-door-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

const frontRouter = router({
  ping: procedure.input(z.object({ n: z.number() })).query(({ input }) => ({ n: input.n + 1 })),
  slow: procedure
    .input(z.object({ ms: z.number() }))
    .query(async ({ input }) => new Promise((resolve) => setTimeout(() => resolve(input.ms), input.ms))),
  slowSave: procedure
    .input(z.object({ ms: z.number() }))
    .mutation(async ({ input }) => new Promise((resolve) => setTimeout(() => resolve(input.ms), input.ms))),
  fail: procedure.query(() => {
    throw new Error('a fault that must not leak');
  }),
  ticks: procedure.subscription(async function* () {
    yield 1;
  }),
});

interface Server {
  service: MeshService<typeof frontRouter>;
  url: string;
  logs: Array<Record<string, unknown>>;
}

const servers = {} as Record<'front' | 'fastify', Server>;

async function start(
  frontDoor: boolean,
  beforeListen?: (service: Server['service']) => void,
): Promise<Server> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const env = readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, MAX_BATCH_SIZE: '4', SLOW_REQUEST_MS: '150' });
  const service = await createService({
    name: 'front-door',
    router: frontRouter,
    env,
    frontDoor,
    logger: createLogger({ name: 'front-door', destination }),
  });
  beforeListen?.(service);
  return { service, url: await service.listen(0), logs };
}

beforeAll(async () => {
  servers.front = await start(true);
  servers.fastify = await start(false);
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.service.close()));
});

interface RawAnswer {
  status: number;
  body: string;
  /** Header names in the order they arrived, lower-cased. */
  names: string[];
  headers: IncomingHttpHeaders;
}

function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const call = request(
      `${base}${path}`,
      { method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body,
            names: response.rawHeaders
              .filter((_, index) => index % 2 === 0)
              .map((name) => name.toLowerCase()),
            headers: response.headers,
          }),
        );
      },
    );
    call.on('error', reject);
    call.end(options.body);
  });
}

const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const pings = input({ 0: { json: { n: 1 } }, 1: { json: { n: 2 } } });

/** Requests whose answers must not depend on whether the front door is there. */
const cases: Record<string, [string, { method?: string; headers?: Record<string, string>; body?: string }?]> =
  {
    'a single query': [`/trpc/ping?input=${input({ json: { n: 1 } })}`, { headers: auth }],
    'a batch': [`/trpc/ping,ping?batch=1&input=${pings}`, { headers: auth }],
    'a repeated query parameter (the first counts)': [
      `/trpc/ping?batch=1&batch=0&input=${pings}&input=x`,
      { headers: auth },
    ],
    'no token': [`/trpc/ping?batch=1&input=${pings}`],
    'bad input': [`/trpc/ping?input=${input({ json: { n: 'one' } })}`, { headers: auth }],
    'a fault in the procedure': ['/trpc/fail', { headers: auth }],
    'an unknown procedure': ['/trpc/nope', { headers: auth }],
    'malformed JSON': ['/trpc/ping?input=%7Bnot', { headers: auth }],
    'a batch over the limit': [
      `/trpc/${Array(5).fill('ping').join(',')}?batch=1&input={}`,
      { headers: auth },
    ],
    'a percent-encoded batch path': [`/trpc/ping%2Cping?batch=1&input=${pings}`, { headers: auth }],
    'a trailing slash': [`/trpc/ping/?input=${input({ json: { n: 1 } })}`, { headers: auth }],
    'a path past the router limit': [`/trpc/${'p'.repeat(5001)}`, { headers: auth }],
    'a subscription asked by GET': ['/trpc/ticks', { headers: auth }],
    'a JSONL accept header': [
      `/trpc/ping?batch=1&input=${pings}`,
      { headers: { ...auth, 'trpc-accept': 'application/jsonl' } },
    ],
    'a GET with a body': [
      `/trpc/ping?input=${input({ json: { n: 1 } })}`,
      { headers: { ...auth, 'content-type': 'application/json' }, body: '{}' },
    ],
    'a HEAD': [`/trpc/ping?input=${input({ json: { n: 1 } })}`, { method: 'HEAD', headers: auth }],
  };

describe('the front door', () => {
  for (const [name, [path, options]] of Object.entries(cases)) {
    it(`answers ${name} as Fastify's route does, header for header`, async () => {
      const front = await send(servers.front.url, path, options);
      const fastify = await send(servers.fastify.url, path, options);
      expect(front.status).toBe(fastify.status);
      expect(front.body).toBe(fastify.body);
      expect(front.names).toEqual(fastify.names);
      for (const header of front.names) {
        if (header === 'date' || header === 'x-response-time') continue;
        expect([header, front.headers[header]]).toEqual([header, fastify.headers[header]]);
      }
      if (fastify.names.includes('x-response-time')) {
        expect(front.headers['x-response-time']).toMatch(/^\d+\.\d{2}ms$/);
      }
      expect(front.body).not.toContain('must not leak');
    });
  }

  it('serves fast-path queries itself and passes everything else on to Fastify', async () => {
    // A slow request's line names its request id: Fastify's are req-<n>, the front door's front-<n>.
    const slowLine = (server: Server, url: string) =>
      vi.waitFor(() => {
        const line = server.logs.find((entry) => entry.msg === 'slow request' && entry.url === url);
        if (!line) throw new Error(`no slow-request line for ${url}`);
        return line;
      });
    const query = `/trpc/slow?input=${input({ json: { ms: 160 } })}`;
    const served = await send(servers.front.url, query, { headers: auth });
    expect(JSON.parse(served.body)).toEqual({ result: { data: { json: 160 } } });
    expect((await slowLine(servers.front, query)).reqId).toMatch(/^front-/);
    expect(
      (
        await (async () => {
          await send(servers.fastify.url, query, { headers: auth });
          return slowLine(servers.fastify, query);
        })()
      ).reqId,
    ).toMatch(/^req-/);

    await send(servers.front.url, '/trpc/slowSave', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { ms: 160 } }),
    });
    expect((await slowLine(servers.front, '/trpc/slowSave')).reqId).toMatch(/^req-/);
  });

  it('stands aside for every request once someone adds a request hook to the app', async () => {
    const seen: string[] = [];
    const server = await start(true, (service) =>
      service.app.addHook('onRequest', (request, _reply, done) => {
        seen.push(request.url);
        done();
      }),
    );
    try {
      const query = `/trpc/ping?input=${input({ json: { n: 1 } })}`;
      const answer = await send(server.url, query, { headers: auth });
      expect(JSON.parse(answer.body)).toEqual({ result: { data: { json: { n: 2 } } } });
      expect(seen).toEqual([query]);
    } finally {
      await server.service.close();
    }
  });

  it('counts its requests in the same HTTP and handler metrics as the route', async () => {
    const series = async (server: Server) => {
      const lines = (await (await fetch(`${server.url}/metrics`)).text()).split('\n');
      const count = (name: string, labels: string[]) =>
        Number(
          lines
            .find((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
            ?.split(' ')
            .at(-1) ?? 0,
        );
      return {
        http: count('mesh_http_request_duration_seconds_count', [
          'route="/trpc/:path"',
          'method="GET"',
          'status="200"',
        ]),
        fast: count('mesh_trpc_http_requests_total', ['handler="fast"']),
      };
    };
    for (const server of [servers.front, servers.fastify]) {
      const before = await series(server);
      for (let n = 0; n < 3; n++)
        await send(server.url, `/trpc/ping?input=${input({ json: { n } })}`, { headers: auth });
      await vi.waitFor(async () => {
        const after = await series(server);
        expect([after.http - before.http, after.fast - before.fast]).toEqual([3, 3]);
      });
    }
  });

  it('logs a slow query, with its URL', async () => {
    const path = `/trpc/slow?input=${input({ json: { ms: 200 } })}`;
    await send(servers.front.url, path, { headers: auth });
    await vi.waitFor(() =>
      expect(servers.front.logs.some((line) => line.msg === 'slow request' && line.url === path)).toBe(true),
    );
  });

  it('finishes a query in flight at close, then leaves the closing answers to Fastify', async () => {
    const server = await start(true);
    const inFlight = send(server.url, `/trpc/slow?input=${input({ json: { ms: 300 } })}`, { headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.service.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    // Its connection ends with it, as on Fastify's route (the kit's drain hook).
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({ result: { data: { json: 300 } } });
    await closed;
    await expect(
      new Promise((resolve, reject) => get(`${server.url}/trpc/ping`, resolve).on('error', reject)),
    ).rejects.toThrow();
  });
});
