import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  compareCases,
  type LoadResult,
  loadCaller,
  loadServer,
  median,
  rotate,
  type SuiteCase,
} from '@mesh/bench';
import { createServiceClient } from '@mesh/client';
import { buildTraceExplorer } from '@mesh/trace-explorer';
import { countServed } from './count-requests.js';
import { deployedSampling } from './deployed-sampling.js';
import { readBenchEnv, readBenchTracing } from './env.js';
import { measureCallTracing } from './measure-call-tracing.js';
import type { RpcRouter } from './rpc-router.js';
import { type RpcServerProcess, spawnRpcServer } from './spawn-rpc-server.js';

const MESH_BODY = '[{"result":{"data":{"json":{"n":2}}}}]';
const MESH_PATH = `/trpc/ping?batch=1&input=${encodeURIComponent('{"0":{"json":{"n":1}}}')}`;
const MODES = ['off', 'local', 'export', 'sampled'] as const;
/** Between the server views and the caller views of a run. */
const SETTLE_MS = 3_000;
type Mode = (typeof MODES)[number];

export interface RunOptions {
  progress?: (line: string) => void;
}

/** What the case the deployed default is judged by is called. */
export const DEPLOYED_CASE = 'tracing exported, deployed sampling';

/**
 * The tracing suite: the rpc workload (the kit's fast path, `ping`) against four server
 * processes alike but for tracing, started afresh for each run: off (no tracer provider),
 * local (spans made, none sent: a service without an exporter), export (every span over
 * OTLP/HTTP to a trace explorer, as under `mesh up`) and sampled (exporting, with the sampling
 * the Kubernetes manifests set: the head ratio, and the keep rule recording every span).
 * Baseline is tracing off, so the ratio is throughput with tracing over without.
 */
export async function run({ progress = () => {} }: RunOptions = {}): Promise<{ cases: SuiteCase[] }> {
  const env = readBenchEnv();
  const token = randomBytes(24).toString('hex');
  // In the load generator's process: one more process would not get a core of its own here.
  const explorer = await buildTraceExplorer();
  const explorerUrl = await explorer.listen(0);
  // Its own explorer, so what the sampled server exported is counted apart.
  const sampledExplorer = await buildTraceExplorer();
  const sampledExplorerUrl = await sampledExplorer.listen(0);
  const sampling = deployedSampling();
  const serverEnv: Record<Mode, Record<string, string>> = {
    off: { BENCH_TRACING: 'off' },
    local: { BENCH_TRACING: 'local' },
    export: { BENCH_TRACING: 'export', OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
    sampled: { BENCH_TRACING: 'export', ...sampling },
  };
  const timing = { durationS: env.durationS, warmupS: env.warmupS };
  const server = byMode(() => [] as LoadResult[]);
  const caller = byMode(() => [] as LoadResult[]);
  const cpu = byMode(() => [] as number[]);
  const served = { export: 0, sampled: 0 };

  try {
    for (let round = 1; round <= env.runs; round++) {
      // Four fresh server processes a round, so no mode's figures rest on one process.
      const processes = await startRound(token, serverEnv, explorerUrl, sampledExplorerUrl);
      let measuring = true;
      try {
        // The server views back to back, then the caller views. With a caller view (websocket
        // load from this process) before each server view, tracing off ranged 116-158 µs a call
        // over seven runs; with none between, 79-82 over five and 121-128 over five.
        for (const mode of windowOrder(round)) {
          progress(`run ${round}/${env.runs}: server view, tracing ${mode}`);
          const measured = await measureServer(processes.servers[mode], token, env.connections, timing);
          server[mode].push(measured.load);
          cpu[mode].push(measured.cpuMicrosPerCall);
        }
        // Every span exported was the last server view: let its backlog go out first.
        await sleep(SETTLE_MS);
        for (const mode of windowOrder(round)) {
          progress(`run ${round}/${env.runs}: caller view, tracing ${mode}`);
          const client = processes.clients[mode].client;
          const call = async (n: number) => (await client.ping.query({ n })).n === n + 1;
          caller[mode].push(await loadCaller({ call, inFlight: env.connections, ...timing }));
        }
        served.export += (await countServed(processes.servers.export.urls.fast)).calls;
        served.sampled += (await countServed(processes.servers.sampled.urls.fast)).calls;
        measuring = false;
      } finally {
        // Stopping a server flushes the spans it still holds to its explorer. A failure to stop
        // is thrown only when nothing failed before it, so it never hides the first error.
        await processes.stop().catch((error: unknown) => {
          if (!measuring) throw error;
        });
      }
    }
    const exported = {
      export: { calls: served.export, spans: explorer.store.stats().received },
      sampled: { calls: served.sampled, spans: sampledExplorer.store.stats().received },
    };
    const inProcess = { off: [] as number[], sampled: [] as number[] };
    for (let round = 1; round <= env.runs; round++) {
      for (const mode of rotate(['off', 'sampled'] as const, round - 1)) {
        progress(`run ${round}/${env.runs}: one process, tracing ${mode}`);
        const rounds = await measureCallTracing(
          mode === 'off'
            ? serverEnv.off
            : { ...serverEnv.sampled, OTEL_EXPORTER_OTLP_ENDPOINT: sampledExplorerUrl },
        );
        inProcess[mode].push(median(rounds));
      }
    }
    return {
      cases: [...cases({ env, server, caller, cpu, exported, sampling }), inProcessCase(inProcess, sampling)],
    };
  } finally {
    await explorer.close();
    await sampledExplorer.close();
  }
}

/**
 * The modes' windows in run `round`: off, on and the deployed sampling in rotating order, then
 * every span exported. That server posts its backlog, and its heap and the explorer's settle,
 * for seconds after its load stops; whichever window came next shared the two cores with that
 * and paid some 15 µs a call for it (tracing off: 42 µs first in a run, 58 right after it), and
 * in rotating order that was always the deployed sampling.
 */
function windowOrder(round: number): Mode[] {
  return [...rotate(['off', 'local', 'sampled'] as const, round - 1), 'export'];
}

function byMode<T>(make: () => T): Record<Mode, T> {
  return Object.fromEntries(MODES.map((mode) => [mode, make()])) as Record<Mode, T>;
}

/** One round's server processes, one per mode, and a websocket client of each. */
async function startRound(
  token: string,
  serverEnv: Record<Mode, Record<string, string>>,
  explorerUrl: string,
  sampledExplorerUrl: string,
) {
  const servers = {} as Record<Mode, RpcServerProcess>;
  const clients = {} as Record<Mode, ReturnType<typeof createServiceClient<RpcRouter>>>;
  // Every server is stopped even if a client fails to close; the first failure is then thrown.
  const stop = async () => {
    const closed = await Promise.allSettled(Object.values(clients).map((client) => client.close()));
    const stopped = await Promise.allSettled(Object.values(servers).map((server) => server.stop()));
    const failure = [...closed, ...stopped].find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  };
  try {
    for (const mode of MODES) {
      const endpoint = mode === 'sampled' ? sampledExplorerUrl : explorerUrl;
      servers[mode] = await spawnRpcServer({
        token,
        env: { ...serverEnv[mode], OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
      });
      clients[mode] = createServiceClient<RpcRouter>({
        url: servers[mode].urls.fast,
        token,
        retries: 0,
        transport: 'websocket',
      });
    }
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { servers, clients, stop };
}

interface CaseInputs {
  env: ReturnType<typeof readBenchEnv>;
  server: Record<Mode, LoadResult[]>;
  caller: Record<Mode, LoadResult[]>;
  /** The server process's CPU time per call served, per run. */
  cpu: Record<Mode, number[]>;
  exported: Record<'export' | 'sampled', { calls: number; spans: number }>;
  sampling: Record<string, string>;
}

function cases({ env, server, caller, cpu, exported, sampling }: CaseInputs): SuiteCase[] {
  const protocol = readBenchTracing().OTEL_EXPORTER_OTLP_PROTOCOL;
  const load = `${env.durationS} s each after a ${env.warmupS} s warm-up, off, on and deployed sampling interleaved (order rotating) and every span exported last, the server views of a run back to back before its caller views, fresh server processes each run`;
  const base =
    'baseline: the same server process with tracing off (no tracer provider); servers in child processes, ' +
    'the load generator and the explorer in the parent';
  const serverNotes = `autocannon, ${env.connections} connections, ${load}; GET /trpc/ping?batch=1 on the fast path; ${base}`;
  const callerNotes = `${env.connections} calls in flight through @mesh/client over websocket, ${load}; ${base}`;
  const exportNote = (mode: 'export' | 'sampled') =>
    `; spans to the explorer over OTLP/HTTP (${protocol}, the batch processor's defaults): the explorer received ` +
    `${exported[mode].spans} spans for ${exported[mode].calls} calls served (the SDK drops spans when its queue is full)`;
  const deployed = settingsText(sampling);
  const sampledExtra = `; sampling as deploy/k8s/base sets it (${deployed}), every span recorded for the keep rule${exportNote('sampled')}`;
  const subjects = [
    { mode: 'local' as const, subject: 'tracing on, not exported', extra: '' },
    { mode: 'export' as const, subject: 'tracing on, exported to the explorer', extra: exportNote('export') },
    {
      mode: 'sampled' as const,
      subject: 'tracing exported, deployed sampling',
      extra: sampledExtra,
    },
  ];
  const all = subjects.flatMap(({ mode, subject, extra }) => [
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
  // What each server spent per call, whatever else the machine ran: on a shared machine the
  // steadier figure; a server bound by its CPU serves in inverse proportion to it.
  const cpuCases = subjects.map(({ mode, subject }) => ({
    name: `server CPU per call, ${subject}`,
    metric: 'µs',
    better: 'lower' as const,
    baselineRuns: cpu.off.map(round2),
    valueRuns: cpu[mode].map(round2),
    errors: 0,
    notes: `process.cpuUsage() of the server process over the calls it answered in each server-view window; ${serverNotes}`,
  }));
  // What exporting the sampled tenth and the keep rule cost beyond recording every span: the
  // deployed sampling over tracing on, not exported, in the same runs. Both stand beside the same
  // untraced windows, so on a noisy machine this moves less than either ratio to tracing off.
  const beyondRecording: SuiteCase = {
    name: `server throughput, ${DEPLOYED_CASE}, over tracing on, not exported`,
    metric: 'req/s',
    better: 'higher',
    baselineRuns: server.local.map((load) => round2(load.perSecond)),
    valueRuns: server.sampled.map((load) => round2(load.perSecond)),
    errors: [...server.local, ...server.sampled].reduce((total, load) => total + load.errors, 0),
    notes: `baseline: tracing on, not exported (spans made, none sent); ${serverNotes}${sampledExtra}`,
  };
  // The figure the deployed default is judged by: its server throughput over tracing off.
  const judged = all.find((item) => item.name === `server throughput, ${DEPLOYED_CASE}`);
  // Run by run as well: a run's server views come back to back, seconds apart.
  const byRun = server.sampled
    .map((load, run) => (load.perSecond / (server.off[run]?.perSecond ?? Number.NaN)).toFixed(3))
    .join(', ');
  const judgedCase = judged && {
    ...judged,
    name: DEPLOYED_CASE,
    notes: `${judged.notes}; run by run: ${byRun}`,
  };
  return [...(judgedCase ? [judgedCase] : []), ...all, beyondRecording, ...cpuCases];
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Environment settings as `NAME=value NAME=value`, for a case's notes. */
const settingsText = (settings: Record<string, string>): string =>
  Object.entries(settings)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** What the call's tracing costs in one process: no sockets, so little but the tracing itself differs. */
function inProcessCase(
  inProcess: { off: number[]; sampled: number[] },
  sampling: Record<string, string>,
): SuiteCase {
  const added = inProcess.sampled.map((value, run) => round3(value - (inProcess.off[run] ?? Number.NaN)));
  return {
    name: `CPU per call in one process, ${DEPLOYED_CASE}`,
    metric: 'µs',
    better: 'lower',
    baselineRuns: inProcess.off.map(round3),
    valueRuns: inProcess.sampled.map(round3),
    errors: 0,
    notes:
      "call-tracing-cpu.ts: the kit's traceProcedure around a procedure answering at once, with the service's " +
      'own metrics and logger, 50 calls in flight, 10 rounds of 100,000 calls after 2 discarded, the median round ' +
      'per run; a fresh process per run and mode, off and deployed sampling in rotating order; baseline: tracing off ' +
      `(no tracer provider); sampling as deploy/k8s/base sets it (${settingsText(sampling)}), exported to the ` +
      `sampled servers' explorer; µs the tracing adds per call, run by run: ${added.join(', ')}`,
    extra: { addedMicrosPerCall: added },
  };
}

/**
 * One server-view window: the warm-up apart, then the measured load with the server's own CPU
 * time sampled around it, so the CPU figure covers exactly the calls counted.
 */
async function measureServer(
  server: RpcServerProcess,
  token: string,
  connections: number,
  timing: { durationS: number; warmupS: number },
): Promise<{ load: LoadResult; cpuMicrosPerCall: number }> {
  const target = {
    url: `${server.urls.fast}${MESH_PATH}`,
    headers: { authorization: `Bearer ${token}` },
    expectBody: MESH_BODY,
    connections,
  };
  if (timing.warmupS > 0) await loadServer({ ...target, durationS: timing.warmupS, warmupS: 0 });
  const before = await server.cpuUsage();
  const load = await loadServer({ ...target, durationS: timing.durationS, warmupS: 0 });
  const after = await server.cpuUsage();
  const micros = after.user + after.system - before.user - before.system;
  return { load, cpuMicrosPerCall: micros / Math.max(1, load.completed) };
}
