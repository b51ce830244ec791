import { randomBytes } from 'node:crypto';
import { compareCases, type LoadResult, loadCaller, loadServer, rotate, type SuiteCase } from '@mesh/bench';
import { createServiceClient } from '@mesh/client';
import { buildTraceExplorer } from '@mesh/trace-explorer';
import { countServed } from './count-requests.js';
import { readBenchEnv, readBenchTracing } from './env.js';
import type { RpcRouter } from './rpc-router.js';
import { type RpcServerProcess, spawnRpcServer } from './spawn-rpc-server.js';

const MESH_BODY = '[{"result":{"data":{"json":{"n":2}}}}]';
const MESH_PATH = `/trpc/ping?batch=1&input=${encodeURIComponent('{"0":{"json":{"n":1}}}')}`;
const MODES = ['off', 'local', 'export'] as const;
type Mode = (typeof MODES)[number];

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The tracing suite: the rpc workload (the kit's fast path, `ping`) against three server
 * processes alike but for tracing: off (no tracer provider), local (spans made, none sent:
 * a service without an exporter) and export (OTLP/HTTP to a trace explorer, as under
 * `mesh up`). Baseline is tracing off, so the ratio is throughput with tracing over without.
 */
export async function run({ progress = () => {} }: RunOptions = {}): Promise<{ cases: SuiteCase[] }> {
  const env = readBenchEnv();
  const token = randomBytes(24).toString('hex');
  // In the load generator's process: one more process would not get a core of its own here.
  const explorer = await buildTraceExplorer();
  const explorerUrl = await explorer.listen(0);
  const servers = {} as Record<Mode, RpcServerProcess>;
  for (const mode of MODES) {
    servers[mode] = await spawnRpcServer({
      token,
      env: { BENCH_TRACING: mode, OTEL_EXPORTER_OTLP_ENDPOINT: explorerUrl },
    });
  }
  const clients = Object.fromEntries(
    MODES.map((mode) => [
      mode,
      createServiceClient<RpcRouter>({
        url: servers[mode].urls.fast,
        token,
        retries: 0,
        transport: 'websocket',
      }),
    ]),
  ) as Record<Mode, ReturnType<typeof createServiceClient<RpcRouter>>>;
  const timing = { durationS: env.durationS, warmupS: env.warmupS };
  const server = Object.fromEntries(MODES.map((mode) => [mode, [] as LoadResult[]])) as Record<
    Mode,
    LoadResult[]
  >;
  const caller = Object.fromEntries(MODES.map((mode) => [mode, [] as LoadResult[]])) as Record<
    Mode,
    LoadResult[]
  >;

  try {
    for (let round = 1; round <= env.runs; round++) {
      for (const mode of rotate(MODES, round - 1)) {
        progress(`run ${round}/${env.runs}: server view, tracing ${mode}`);
        server[mode].push(
          await loadServer({
            url: `${servers[mode].urls.fast}${MESH_PATH}`,
            headers: { authorization: `Bearer ${token}` },
            expectBody: MESH_BODY,
            connections: env.connections,
            ...timing,
          }),
        );
        progress(`run ${round}/${env.runs}: caller view, tracing ${mode}`);
        const client = clients[mode].client;
        const call = async (n: number) => (await client.ping.query({ n })).n === n + 1;
        caller[mode].push(await loadCaller({ call, inFlight: env.connections, ...timing }));
      }
    }
    const served = await countServed(servers.export.urls.fast);
    const stored = explorer.store.stats();
    return { cases: cases(env, server, caller, { calls: served.calls, spans: stored.received }) };
  } finally {
    await Promise.all(MODES.map((mode) => clients[mode].close()));
    await Promise.all(MODES.map((mode) => servers[mode].stop()));
    await explorer.close();
  }
}

function cases(
  env: ReturnType<typeof readBenchEnv>,
  server: Record<Mode, LoadResult[]>,
  caller: Record<Mode, LoadResult[]>,
  exported: { calls: number; spans: number },
): SuiteCase[] {
  const protocol = readBenchTracing().OTEL_EXPORTER_OTLP_PROTOCOL;
  const load = `${env.durationS} s each after a ${env.warmupS} s warm-up, modes interleaved (order rotating)`;
  const base =
    'baseline: the same server process with tracing off (no tracer provider); servers in child processes, ' +
    'the load generator and the explorer in the parent';
  const serverNotes = `autocannon, ${env.connections} connections, ${load}; GET /trpc/ping?batch=1 on the fast path; ${base}`;
  const callerNotes = `${env.connections} calls in flight through @mesh/client over websocket, ${load}; ${base}`;
  const exportNote =
    `; spans to the explorer over OTLP/HTTP (${protocol}, BatchSpanProcessor defaults): the explorer received ` +
    `${exported.spans} spans for ${exported.calls} calls served (the SDK drops spans when its queue is full)`;
  const subjects = [
    { mode: 'local' as const, subject: 'tracing on, not exported', extra: '' },
    { mode: 'export' as const, subject: 'tracing on, exported to the explorer', extra: exportNote },
  ];
  return subjects.flatMap(({ mode, subject, extra }) => [
    ...compareCases({
      view: 'server',
      subject,
      rate: 'req/s',
      baseline: server.off,
      value: server[mode],
      notes: serverNotes + extra,
    }),
    ...compareCases({
      view: 'caller',
      subject,
      rate: 'calls/s',
      baseline: caller.off,
      value: caller[mode],
      notes: callerNotes + extra,
    }),
  ]);
}
