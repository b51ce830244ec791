import { randomBytes } from 'node:crypto';
import { createServiceClient } from '@mesh/sdk';
import { countServed } from './count-requests.js';
import { type BenchEnv, readBenchEnv } from './env.js';
import { createHttpPing } from './http-ping.js';
import { loadCaller } from './load-caller.js';
import { loadServer } from './load-server.js';
import { type MeasuredCase, type ViewSamples, viewCases } from './rpc-cases.js';
import type { RpcRouter } from './rpc-router.js';
import { spawnRpcServer } from './spawn-rpc-server.js';

const MESH_BODY = '[{"result":{"data":{"json":{"n":2}}}}]';
const BARE_BODY = '{"n":2}';

type Side = keyof ViewSamples;

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The rpc suite: a trivial mesh procedure against a bare Fastify route doing the same
 * work, as the server's cost (autocannon) and as the caller's view (the SDK against node:http).
 */
export async function run({ progress = () => {} }: RunOptions = {}): Promise<{ cases: MeasuredCase[] }> {
  const env = readBenchEnv();
  const token = randomBytes(24).toString('hex');
  const server = await spawnRpcServer({ token });
  const sdk = createServiceClient<RpcRouter>({
    url: server.urls.mesh,
    token,
    retries: 0,
  });
  const plain = createHttpPing(server.urls.bare, env.connections);
  try {
    const { urls } = server;
    const serverView: ViewSamples = { mesh: [], baseline: [] };
    const callerView: ViewSamples = { mesh: [], baseline: [] };
    const batching: number[] = [];
    const timing = { durationS: env.durationS, warmupS: env.warmupS };
    const serverRun = (side: Side) =>
      side === 'mesh'
        ? loadServer({
            url: `${urls.mesh}/trpc/ping?batch=1&input=${encodeURIComponent('{"0":{"json":{"n":1}}}')}`,
            headers: { authorization: `Bearer ${token}` },
            expectBody: MESH_BODY,
            connections: env.connections,
            ...timing,
          })
        : loadServer({
            url: `${urls.bare}/ping?n=1`,
            expectBody: BARE_BODY,
            connections: env.connections,
            ...timing,
          });
    const callerRun = async (side: Side) => {
      if (side === 'baseline') return loadCaller({ call: plain.call, inFlight: env.connections, ...timing });
      const before = await countServed(urls.mesh);
      const call = async (n: number) => (await sdk.client.ping.query({ n })).n === n + 1;
      const result = await loadCaller({ call, inFlight: env.connections, ...timing });
      const after = await countServed(urls.mesh);
      batching.push((after.calls - before.calls) / Math.max(1, after.requests - before.requests));
      return result;
    };

    for (let round = 1; round <= env.runs; round++) {
      // Alternate who goes first, so neither side always runs on a warmer machine.
      const order: Side[] = round % 2 === 1 ? ['mesh', 'baseline'] : ['baseline', 'mesh'];
      for (const side of order) {
        progress(`run ${round}/${env.runs}: server view, ${side}`);
        serverView[side].push(await serverRun(side));
      }
      for (const side of order) {
        progress(`run ${round}/${env.runs}: caller view, ${side}`);
        callerView[side].push(await callerRun(side));
      }
    }
    return { cases: describe(env, serverView, callerView, batching) };
  } finally {
    plain.close();
    await sdk.close();
    await server.stop();
  }
}

function describe(env: BenchEnv, serverView: ViewSamples, callerView: ViewSamples, batching: number[]) {
  const load = `${env.durationS} s per run after a ${env.warmupS} s warm-up, mesh and baseline interleaved (order alternating)`;
  const server =
    'mesh: createService (bearer token, superjson, a procedure span per call, OpenTelemetry SDK with no exporter, ' +
    'HTTP auto-instrumentation off, LOG_LEVEL silent) at GET /trpc/ping?batch=1; baseline: bare Fastify GET /ping?n=1 ' +
    'with a querystring schema; both in one child process, the load generator in another';
  const sdkBatch = batching.map((calls) => Math.round(calls * 10) / 10);
  return [
    ...viewCases({
      view: 'server',
      rate: 'req/s',
      samples: serverView,
      notes: `autocannon, ${env.connections} connections, ${load}; ${server}; every body checked`,
    }),
    ...viewCases({
      view: 'caller',
      rate: 'calls/s',
      samples: callerView,
      notes:
        `${env.connections} calls in flight, ${load}; mesh: @mesh/sdk createServiceClient (retries 0, ` +
        `maxBatchSize 100) to the same procedure, batching ${sdkBatch.join(' / ')} calls per HTTP request by run; ` +
        'baseline: node:http with a keep-alive agent to the bare route; every answer checked',
      extra: { sdkCallsPerRequest: sdkBatch },
    }),
  ];
}
