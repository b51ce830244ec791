import { randomBytes } from 'node:crypto';
import { compareCases, type LoadResult, loadCaller, loadServer, rotate, type SuiteCase } from '@mesh/bench';
import { createServiceClient, type ServiceClientOptions } from '@mesh/client';
import { countServed } from './count-requests.js';
import { readBenchEnv } from './env.js';
import { createHttpPing } from './http-ping.js';
import type { RpcRouter } from './rpc-router.js';
import { spawnRpcServer } from './spawn-rpc-server.js';

const MESH_BODY = '[{"result":{"data":{"json":{"n":2}}}}]';
const BARE_BODY = '{"n":2}';
const MESH_PATH = `/trpc/ping?batch=1&input=${encodeURIComponent('{"0":{"json":{"n":1}}}')}`;

const SERVER_SIDES = ['bare', 'fast', 'adapter'] as const;
const CALLER_SIDES = ['plain', 'http', 'fetch', 'websocket'] as const;
type ServerSide = (typeof SERVER_SIDES)[number];
type CallerSide = (typeof CALLER_SIDES)[number];
type Transport = NonNullable<ServiceClientOptions['transport']>;

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The rpc suite: a trivial procedure served by the kit's fast path and by tRPC's official
 * adapter, against a bare Fastify route doing the same work (the server's cost, autocannon);
 * and called end to end through each SDK transport against a plain node:http client on the
 * bare route (the caller's view).
 */
export async function run({ progress = () => {} }: RunOptions = {}): Promise<{ cases: SuiteCase[] }> {
  const env = readBenchEnv();
  const token = randomBytes(24).toString('hex');
  const server = await spawnRpcServer({ token });
  const { urls } = server;
  const timing = { durationS: env.durationS, warmupS: env.warmupS };
  const sdks = Object.fromEntries(
    (['http', 'fetch', 'websocket'] as const).map((transport) => [
      transport,
      createServiceClient<RpcRouter>({
        url: urls.fast,
        token,
        retries: 0,
        transport,
        maxSockets: env.connections,
      }),
    ]),
  ) as Record<Transport, ReturnType<typeof createServiceClient<RpcRouter>>>;
  const plain = createHttpPing(urls.bare, env.connections);
  const serverView = Object.fromEntries(SERVER_SIDES.map((side) => [side, [] as LoadResult[]])) as Record<
    ServerSide,
    LoadResult[]
  >;
  const callerView = Object.fromEntries(CALLER_SIDES.map((side) => [side, [] as LoadResult[]])) as Record<
    CallerSide,
    LoadResult[]
  >;
  const batching: Record<'http' | 'fetch', number[]> = { http: [], fetch: [] };

  const serverRun = (side: ServerSide) =>
    side === 'bare'
      ? loadServer({
          url: `${urls.bare}/ping?n=1`,
          expectBody: BARE_BODY,
          connections: env.connections,
          ...timing,
        })
      : loadServer({
          url: `${urls[side]}${MESH_PATH}`,
          headers: { authorization: `Bearer ${token}` },
          expectBody: MESH_BODY,
          connections: env.connections,
          ...timing,
        });
  const callerRun = async (side: CallerSide) => {
    if (side === 'plain') return loadCaller({ call: plain.call, inFlight: env.connections, ...timing });
    const client = sdks[side].client;
    const before = await countServed(urls.fast);
    const call = async (n: number) => (await client.ping.query({ n })).n === n + 1;
    const result = await loadCaller({ call, inFlight: env.connections, ...timing });
    const after = await countServed(urls.fast);
    if (side !== 'websocket')
      batching[side].push((after.calls - before.calls) / Math.max(1, after.requests - before.requests));
    return result;
  };

  try {
    for (let round = 1; round <= env.runs; round++) {
      for (const side of rotate(SERVER_SIDES, round - 1)) {
        progress(`run ${round}/${env.runs}: server view, ${side}`);
        serverView[side].push(await serverRun(side));
      }
      for (const side of rotate(CALLER_SIDES, round - 1)) {
        progress(`run ${round}/${env.runs}: caller view, ${side}`);
        callerView[side].push(await callerRun(side));
      }
    }
  } finally {
    plain.close();
    await Promise.all(Object.values(sdks).map((sdk) => sdk.close()));
    await server.stop();
  }

  const load = `${env.durationS} s each after a ${env.warmupS} s warm-up, sides interleaved (order rotating)`;
  const serverNotes =
    `autocannon, ${env.connections} connections, ${load}; GET /trpc/ping?batch=1 with a bearer token, superjson, ` +
    'a procedure span per call (OpenTelemetry SDK, no exporter), metrics and timing hooks; baseline: bare Fastify ' +
    'GET /ping?n=1 with a querystring schema; servers in one child process, the load generator in another; every body checked';
  const callerNotes = (transport: string, batch?: number[]) =>
    `${env.connections} calls in flight, ${load}; @mesh/client createServiceClient({ transport: '${transport}' }) to the ` +
    `fast-path service${batch ? `, ${batch.map((calls) => Math.round(calls * 10) / 10).join(' / ')} calls per HTTP request by run` : ''}; ` +
    'baseline: node:http with a keep-alive agent calling the bare route; every answer checked';
  return {
    cases: [
      ...compareCases({
        view: 'server',
        subject: 'mesh fast path',
        rate: 'req/s',
        baseline: serverView.bare,
        value: serverView.fast,
        notes: serverNotes,
      }),
      ...compareCases({
        view: 'server',
        subject: 'official tRPC adapter',
        rate: 'req/s',
        baseline: serverView.bare,
        value: serverView.adapter,
        notes: serverNotes,
      }),
      ...compareCases({
        view: 'caller',
        subject: 'mesh SDK over http',
        rate: 'calls/s',
        baseline: callerView.plain,
        value: callerView.http,
        notes: callerNotes('http', batching.http),
      }),
      ...compareCases({
        view: 'caller',
        subject: 'mesh SDK over fetch',
        rate: 'calls/s',
        baseline: callerView.plain,
        value: callerView.fetch,
        notes: callerNotes('fetch', batching.fetch),
      }),
      ...compareCases({
        view: 'caller',
        subject: 'mesh SDK over websocket',
        rate: 'calls/s',
        baseline: callerView.plain,
        value: callerView.websocket,
        notes: callerNotes('websocket'),
      }),
    ],
  };
}
