// The server process of the cost suite: the rpc suite's `ping` on the fast path with every
// layer on, once more with each layer taken away, on tRPC's official adapter, and the bare
// Fastify route, all in one process whose CPU time the suite samples around each load window.

import { CALL_LAYERS, type CallLayer, createService, type MeshService } from '@mesh/kit';
import { startTelemetry } from '@mesh/telemetry';
import type { AnyRouter } from '@trpc/server';
import { answerCpuUsage } from './answer-cpu-usage.js';
import { buildBareApp } from './bare-app.js';
import { readRpcServerEnv } from './env.js';
import { rpcRouter } from './rpc-router.js';
import { rpcRouterWithoutZod } from './rpc-router-without-zod.js';

/** A layer the cost suite takes away: the kit's, or zod (a router without it). */
export type CostLayer = CallLayer | 'zod';

/** Printed on stdout as one JSON line once every server listens: base URL by server. */
export interface CostServerUrls {
  bare: string;
  adapter: string;
  /** The fast path with every layer on, its queries through Fastify's route (no front door). */
  route: string;
  /** The fast path with every layer on. */
  full: string;
  /** The fast path without one layer. */
  without: Record<CostLayer, string>;
}

// As in the rpc suite: tracing on, spans made, none exported.
const telemetry = startTelemetry({ serviceName: 'bench' });
const env = readRpcServerEnv();
const services: Array<MeshService<AnyRouter>> = [];
const serve = async (router: AnyRouter, fast: boolean, layersOff: CallLayer[] = [], frontDoor = true) => {
  const service = await createService({
    name: 'bench',
    router,
    env: { ...env, TRPC_FAST_PATH: fast },
    layersOff,
    frontDoor,
  });
  services.push(service);
  return service.listen(0);
};

const without = {} as Record<CostLayer, string>;
for (const layer of CALL_LAYERS) without[layer] = await serve(rpcRouter, true, [layer]);
without.zod = await serve(rpcRouterWithoutZod, true);
const bare = buildBareApp();
const urls: CostServerUrls = {
  bare: await bare.listen({ port: 0, host: env.HOST }),
  adapter: await serve(rpcRouter, false),
  route: await serve(rpcRouter, true, [], false),
  full: await serve(rpcRouter, true),
  without,
};
answerCpuUsage();
process.stdout.write(`${JSON.stringify(urls)}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([...services.map((service) => service.close()), bare.close()]);
  await telemetry.shutdown();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop()).resume();
