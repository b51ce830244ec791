// A service's process entry. Kept apart from the kit's index: it must start telemetry before
// anything it instruments (http, pg, ioredis, fastify) is imported, so it imports only
// @mesh/telemetry statically and loads the kit, the env and the server afterwards.
import type { ServiceName } from '@mesh/catalogue';
import { readTelemetryEnv, startTelemetry } from '@mesh/telemetry';
import type { AnyRouter } from '@trpc/server';
import type { MeshService } from './create-service.js';

/** What the entry needs from a service's env (defineServiceEnv gives all of it). */
export interface ServiceMainEnv {
  port: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

export interface RunServiceMainOptions<TEnv extends ServiceMainEnv, TRouter extends AnyRouter> {
  /** The service, as the catalogue names it (and its spans and logs carry it). */
  service: ServiceName;
  /** Loads the service's env.ts and reads it (a dynamic import, after telemetry started). */
  readEnv(): Promise<TEnv>;
  /** Loads the service's server.ts and builds the service (a dynamic import too). */
  build(env: TEnv): Promise<MeshService<TRouter>>;
}

/**
 * Starts telemetry, reads the env, builds the service and runs it: listen, then drain on
 * SIGTERM/SIGINT and flush the last spans. A service's main.ts is this one call.
 */
export async function runServiceMain<TEnv extends ServiceMainEnv, TRouter extends AnyRouter>({
  service,
  readEnv,
  build,
}: RunServiceMainOptions<TEnv, TRouter>): Promise<void> {
  const telemetry = startTelemetry({
    serviceName: service,
    endpoint: readTelemetryEnv().OTEL_EXPORTER_OTLP_ENDPOINT,
    instrument: true,
  });
  const { runService } = await import('./run-service.js');
  const env = await readEnv();
  await runService(await build(env), {
    port: env.port,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    afterClose: telemetry.shutdown,
  });
}
