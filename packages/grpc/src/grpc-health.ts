import type { DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import { Health } from '@mesh/contracts';

/** grpc.health.v1.HealthCheckResponse.ServingStatus */
const SERVING = 1;
const NOT_SERVING = 2;
const SERVICE_UNKNOWN = 3;

export interface HealthOptions {
  /** The services the face serves; "" (the whole server) is always known. */
  services: readonly DescService[];
  /** Whether the service is ready: the same answer as its `/readyz`. */
  ready(): Promise<boolean>;
  /** How often Watch re-checks readiness. */
  watchIntervalMs: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * grpc.health.v1.Health following the service's readiness (Postgres and Redis reachable, as
 * `/readyz` says): Check answers SERVING or NOT_SERVING, Watch streams each change.
 */
export function registerHealth(router: ConnectRouter, { services, ready, watchIntervalMs }: HealthOptions) {
  const known = new Set(['', ...services.map((service) => service.typeName), Health.typeName]);
  const status = async () => ((await ready()) ? SERVING : NOT_SERVING);
  router.service(Health, {
    async check(request) {
      if (!known.has(request.service))
        throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
      return { status: await status() };
    },
    async *watch(request, handler: HandlerContext) {
      if (!known.has(request.service)) {
        // The protocol keeps the call open: a service may be registered later (never here).
        yield { status: SERVICE_UNKNOWN };
        while (!handler.signal.aborted) await sleep(watchIntervalMs, handler.signal);
        return;
      }
      let last: number | undefined;
      while (!handler.signal.aborted) {
        const current = await status();
        if (current !== last) yield { status: current };
        last = current;
        await sleep(watchIntervalMs, handler.signal);
      }
    },
  });
}
