import type { AnyRouter } from '@trpc/server';
import type { MeshService } from './create-service.js';

export interface RunServiceOptions {
  port: number;
  shutdownTimeoutMs: number;
  /** Runs last, after the server and its resources closed (e.g. flush telemetry). */
  afterClose?: () => Promise<unknown>;
}

/**
 * The process side of a service: listen, then on SIGTERM/SIGINT drain and exit 0. A drain
 * that outlives `shutdownTimeoutMs` exits 1, so the process never hangs on a stuck socket.
 */
export async function runService<TRouter extends AnyRouter>(
  service: MeshService<TRouter>,
  { port, shutdownTimeoutMs, afterClose }: RunServiceOptions,
): Promise<void> {
  const url = await service.listen(port);
  service.log.info({ url }, `${service.name} listening`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    service.log.info({ signal }, `${service.name} shutting down`);
    const timer = setTimeout(() => {
      service.log.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    try {
      await service.close();
      await afterClose?.();
      process.exit(0);
    } catch (error) {
      service.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
