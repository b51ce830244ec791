// The tracing suite's in-process case: one procedure call's tracing, without sockets. Run as a
// child process (tracing is set up once per process), it prints one JSON line: the CPU time per
// call of each measured round.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { createLogger, startTelemetry } from '@mesh/telemetry';
import { ALL_LAYERS_ON } from '../src/call-layers.js';
import type { MeshContext } from '../src/context.js';
import { InFlight } from '../src/in-flight.js';
import { createServiceMetrics } from '../src/metrics.js';
import { traceProcedure } from '../src/trace-procedure.js';
import { readBenchTracing } from './env.js';

/** Printed on stdout once every round ran. */
export interface CallTracingRounds {
  /** CPU microseconds (user and system) per call, one figure per measured round. */
  cpuMicrosPerCall: number[];
}

/** Rounds measured, after two discarded ones (the JIT, the id pool, the export worker). */
const ROUNDS = 10;
const CALLS_PER_ROUND = 100_000;
/** Calls in flight, as the HTTP cases' 50 connections. */
const IN_FLIGHT = 50;

// Started as the rpc suite's server starts it; the sampling comes from OTEL_TRACES_SAMPLER & co.
const { BENCH_TRACING: tracing, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } = readBenchTracing();
const telemetry =
  tracing === 'off'
    ? { shutdown: async () => {} }
    : startTelemetry({ serviceName: 'bench', endpoint: tracing === 'export' ? endpoint : undefined });

// The context a plain HTTP call on the fast path gets, with the service's own metrics and logger.
const ctx: MeshContext = {
  service: 'bench',
  headers: { host: '127.0.0.1', accept: '*/*' },
  authorized: true,
  transport: 'http',
  batchSize: 1,
  metrics: createServiceMetrics('bench'),
  inFlight: new InFlight(),
  log: createLogger({ name: 'bench', level: 'silent' }),
  layersOff: ALL_LAYERS_ON,
};
const call = { ctx, path: 'ping', type: 'query', inputBytes: 16 };
// The procedure's own work is nothing: what is left is the call's tracing, its stats scope and
// its metrics, which the untraced process pays as well.
const answer = async () => ({ ok: true as const, data: { n: 2 } });

async function caller(calls: number): Promise<void> {
  for (let made = 0; made < calls; made++) await traceProcedure(call, answer);
}

const WARM_ROUNDS = 2;
const cpuMicrosPerCall: number[] = [];
for (let round = 0; round < WARM_ROUNDS + ROUNDS; round++) {
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: IN_FLIGHT }, () => caller(CALLS_PER_ROUND / IN_FLIGHT)));
  const spent = process.cpuUsage(before);
  if (round >= WARM_ROUNDS) cpuMicrosPerCall.push((spent.user + spent.system) / CALLS_PER_ROUND);
  // A turn of the event loop between rounds, for the batch processor's timer and the exporter.
  await nextTurn();
}
await telemetry.shutdown();
const printed: CallTracingRounds = { cpuMicrosPerCall };
process.stdout.write(`${JSON.stringify(printed)}\n`);
