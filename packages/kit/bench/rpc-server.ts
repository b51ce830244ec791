// The server process of the rpc suite: both servers, away from the load generator's CPU.

import { createService } from '@mesh/kit';
import { startTelemetry } from '@mesh/telemetry';
import { answerCpuUsage } from './answer-cpu-usage.js';
import { buildBareApp } from './bare-app.js';
import { readBenchTracing, readRpcServerEnv } from './env.js';
import { rpcRouter } from './rpc-router.js';

/** Printed on stdout as one JSON line once both servers listen. */
export interface RpcServerUrls {
  /** Base URL of the mesh service on the kit's fast path (procedures under `/trpc`). */
  fast: string;
  /** The same service with the fast path off: every call through tRPC's official adapter. */
  adapter: string;
  /** Base URL of the bare Fastify app (`GET /ping?n=`). */
  bare: string;
}

// Tracing on as in a service, with nothing exported: each call still gets its span. The
// tracing suite also runs it with tracing off, and exporting (BENCH_TRACING, see env.ts).
const tracing = readBenchTracing();
const telemetry =
  tracing.BENCH_TRACING === 'off'
    ? { shutdown: async () => {} }
    : startTelemetry({
        serviceName: 'bench',
        endpoint: tracing.BENCH_TRACING === 'export' ? tracing.OTEL_EXPORTER_OTLP_ENDPOINT : undefined,
        exportThread: tracing.BENCH_EXPORT_THREAD,
      });
const env = readRpcServerEnv();
const fast = await createService({ name: 'bench', router: rpcRouter, env: { ...env, TRPC_FAST_PATH: true } });
const adapter = await createService({
  name: 'bench',
  router: rpcRouter,
  env: { ...env, TRPC_FAST_PATH: false },
});
const bare = buildBareApp();
const urls: RpcServerUrls = {
  fast: await fast.listen(0),
  adapter: await adapter.listen(0),
  bare: await bare.listen({ port: 0, host: env.HOST }),
};
process.stdout.write(`${JSON.stringify(urls)}\n`);
// The tracing suite reads this process's CPU time around each server-view window.
answerCpuUsage();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([fast.close(), adapter.close(), bare.close()]);
  await telemetry.shutdown();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
// The parent holds our stdin; when it dies without stopping us, the pipe's end does.
process.stdin.on('end', () => void stop()).resume();
