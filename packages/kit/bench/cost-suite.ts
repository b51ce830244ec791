import { randomBytes } from 'node:crypto';
import { loadServer, median, rotate, type SuiteCase } from '@mesh/bench';
import { CALL_LAYERS } from '@mesh/kit';
import type { CostLayer, CostServerUrls } from './cost-server.js';
import { readBenchEnv } from './env.js';
import { spawnRpcServer } from './spawn-rpc-server.js';

const MESH_BODY = '[{"result":{"data":{"json":{"n":2}}}}]';
const BARE_BODY = '{"n":2}';
const MESH_PATH = `/trpc/ping?batch=1&input=${encodeURIComponent('{"0":{"json":{"n":1}}}')}`;

const LAYERS: readonly CostLayer[] = [...CALL_LAYERS, 'zod'];
/** What each layer is, in the ledger's words. */
const LAYER_NAMES: Record<CostLayer, string> = {
  auth: 'auth (bearer token, SHA-256 and constant-time compare)',
  span: 'the span (start, attributes, end, its AsyncLocalStorage context)',
  stats: 'the stats scope (AsyncLocalStorage of query and cache counts)',
  metrics: 'metrics (prom-client: calls, latency, queries, HTTP histogram, handler counter)',
  requestLogger: "the logger's per-request child (Fastify's request.log)",
  superjson: 'superjson (its walk of input and output; the { json } envelope stays)',
  zod: 'zod (the input schema; a hand-written check instead)',
  middlewareChain: "tRPC's middleware chain (the same work called directly)",
  fastPathParsing: "the fast path's own parsing (input JSON, batch, procedure lookup)",
};

type Peer = 'bare' | 'adapter' | 'route';
type Side = 'full' | Peer | CostLayer;
const PEERS: readonly Peer[] = ['bare', 'adapter', 'route'];
const OTHERS: readonly Exclude<Side, 'full'>[] = [...LAYERS, ...PEERS];
const SIDES: readonly Side[] = ['full', ...OTHERS];
const isLayer = (side: Side): side is CostLayer => side !== 'full' && !PEERS.includes(side as Peer);
const label = (side: Side) => (isLayer(side) ? `without ${side}` : side);

interface Window {
  /** Server CPU (user + system) per correct answer, in microseconds. */
  cpuMicros: number;
  perSecond: number;
  errors: number;
  errorDetail?: string | undefined;
}

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The cost ledger: the rpc suite's `ping` on the fast path with every layer on, then with each
 * layer taken away in turn, tRPC's official adapter and the bare Fastify route, all served by
 * one process; the figure is that process's CPU time (`process.cpuUsage()`, sampled over IPC
 * right before and after each load window) over the calls it answered. A layer's cost is the
 * everything-on figure less the figure without it, from the same run.
 */
export async function run({ progress = () => {} }: RunOptions = {}): Promise<{ cases: SuiteCase[] }> {
  const env = readBenchEnv();
  const token = randomBytes(24).toString('hex');
  const server = await spawnRpcServer<CostServerUrls>({ token, script: 'cost-server.ts' });
  const windows = Object.fromEntries(SIDES.map((side) => [side, [] as Window[]])) as Record<Side, Window[]>;
  /** Per round: the everything-on window less its neighbour's, in µs per call. */
  const pairs = Object.fromEntries(OTHERS.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
  /** The everything-on window beside each side's, per round. */
  const pairedFull = Object.fromEntries(OTHERS.map((side) => [side, [] as number[]])) as Record<
    Side,
    number[]
  >;
  const target = (side: Side) => {
    if (side === 'bare') return { url: `${server.urls.bare}/ping?n=1`, expectBody: BARE_BODY };
    const base = isLayer(side) ? server.urls.without[side] : server.urls[side];
    return {
      url: `${base}${MESH_PATH}`,
      headers: { authorization: `Bearer ${token}` },
      expectBody: MESH_BODY,
    };
  };
  const measure = async (side: Side): Promise<Window> => {
    const load = { ...target(side), connections: env.connections, warmupS: 0 };
    const before = await server.cpuUsage();
    const result = await loadServer({ ...load, durationS: env.durationS });
    const after = await server.cpuUsage();
    const micros = after.user + after.system - before.user - before.system;
    return {
      cpuMicros: micros / Math.max(1, result.completed),
      perSecond: result.perSecond,
      errors: result.errors,
      errorDetail: result.errorDetail,
    };
  };

  try {
    // One warm-up per server (they share the process, its JIT and its pools), then windows
    // without warm-up: each side measured right after (or before, by turns) an everything-on
    // window, so a layer's cost is the difference of two neighbouring windows.
    for (const side of SIDES) {
      progress(`warm-up: ${label(side)}`);
      if (env.warmupS > 0)
        await loadServer({
          ...target(side),
          connections: env.connections,
          warmupS: 0,
          durationS: env.warmupS,
        });
    }
    for (let round = 1; round <= env.runs; round++) {
      for (const side of rotate(OTHERS, round - 1)) {
        progress(`run ${round}/${env.runs}: ${label(side)} beside everything on`);
        const pair = round % 2 === 1 ? (['full', side] as const) : ([side, 'full'] as const);
        for (const measured of pair) windows[measured].push(await measure(measured));
        const beside = windows.full.at(-1)?.cpuMicros ?? Number.NaN;
        pairedFull[side].push(beside);
        pairs[side].push(beside - (windows[side].at(-1)?.cpuMicros ?? Number.NaN));
      }
    }
  } finally {
    await server.stop();
  }
  const cases = ledgerCases(env, windows, pairs, pairedFull);
  for (const line of ledgerLines(windows, pairs)) progress(line);
  return { cases };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const cpuRuns = (runs: readonly Window[]) => runs.map((window) => round2(window.cpuMicros));
const errorsOf = (...sides: Window[][]) => sides.flat().reduce((total, window) => total + window.errors, 0);
const detailsOf = (...sides: Window[][]) =>
  sides.flat().flatMap((window) => (window.errorDetail ? [window.errorDetail] : []));

/** A layer's cost per call: the median over rounds of everything on less without it, side by side. */
function layerMicros(pairs: Record<Side, number[]>, layer: CostLayer): number {
  return median(pairs[layer]);
}

function ledgerCases(
  env: ReturnType<typeof readBenchEnv>,
  windows: Record<Side, Window[]>,
  pairs: Record<Side, number[]>,
  pairedFull: Record<Side, number[]>,
): SuiteCase[] {
  const full = median(cpuRuns(windows.full));
  const how =
    `server CPU (process.cpuUsage() of the server process) over correct answers, ${env.durationS} s windows ` +
    `(a ${env.warmupS} s warm-up per server first), autocannon ${env.connections} connections, each side beside ` +
    'an everything-on window, order rotating';
  const withFailures = (notes: string, ...sides: Window[][]) => {
    const details = detailsOf(...sides);
    return details.length > 0 ? `${notes}; failures: ${details.join(' | ')}` : notes;
  };
  const layerCases = LAYERS.map((layer): SuiteCase => {
    const micros = layerMicros(pairs, layer);
    return {
      name: `CPU per call without ${layer}`,
      metric: 'µs/call',
      better: 'lower',
      baselineRuns: pairedFull[layer].map(round2),
      valueRuns: cpuRuns(windows[layer]),
      errors: errorsOf(windows.full, windows[layer]),
      notes: withFailures(
        `baseline: everything on; value: without ${LAYER_NAMES[layer]}; the layer costs ` +
          `${round2(micros)} µs/call, ${Math.round((micros / full) * 1000) / 10} % of the total; ${how}`,
        windows.full,
        windows[layer],
      ),
      extra: {
        layer,
        layerMicros: round2(micros),
        share: Math.round((micros / full) * 1000) / 1000,
        layerMicrosByRound: pairs[layer].map(round2),
      },
    };
  });
  const peer = (side: Peer, subject: string): SuiteCase => ({
    name: `CPU per call, ${subject}`,
    metric: 'µs/call',
    better: 'lower',
    baselineRuns: pairedFull[side].map(round2),
    valueRuns: cpuRuns(windows[side]),
    errors: errorsOf(windows.full, windows[side]),
    notes: withFailures(
      `baseline: the fast path with everything on; value: ${subject}; ${how}`,
      windows.full,
      windows[side],
    ),
  });
  return [
    ...layerCases,
    peer('bare', 'bare Fastify route'),
    peer('adapter', 'official tRPC adapter'),
    peer('route', "the fast path through Fastify's route (no front door)"),
    {
      name: 'server throughput, mesh fast path (everything on)',
      metric: 'req/s',
      better: 'higher',
      baselineRuns: windows.bare.map((window) => round2(window.perSecond)),
      valueRuns: windows.full.map((window) => round2(window.perSecond)),
      errors: errorsOf(windows.full, windows.bare),
      notes: withFailures(`baseline: the bare Fastify route; ${how}`, windows.full, windows.bare),
    },
  ];
}

/** The ledger as text, for the run's progress output. */
function ledgerLines(windows: Record<Side, Window[]>, pairs: Record<Side, number[]>): string[] {
  const full = median(cpuRuns(windows.full));
  const row = (label: string, micros: number) =>
    `${label.padEnd(24)} ${round2(micros).toFixed(2).padStart(8)} µs/call ${((micros / full) * 100).toFixed(1).padStart(6)} %`;
  return [
    'ledger (server CPU per call, medians):',
    row('everything on', full),
    ...LAYERS.map((layer) => row(`  ${layer}`, layerMicros(pairs, layer))),
    row('bare Fastify route', median(cpuRuns(windows.bare))),
    row('official tRPC adapter', median(cpuRuns(windows.adapter))),
    row("through Fastify's route", median(cpuRuns(windows.route))),
  ];
}
