import type { FastifyInstance } from 'fastify';
import type { InFlight } from './in-flight.js';

const QUIET_MS = 100;
const POLL_MS = 20;

/**
 * Graceful shutdown for websocket callers: before @fastify/websocket closes the sockets,
 * wait until no websocket call has been running for a moment (bounded by `maxWaitMs`), so
 * calls in flight finish instead of being cut. Callers then reconnect (to another replica,
 * behind a Kubernetes Service). Must be registered before @fastify/websocket, whose close
 * hook runs after this one.
 *
 * We do not send tRPC's "reconnect" notification: clients answer it by opening a new socket
 * at once, which on a single instance lands on this closing server and held its close open.
 */
export function registerWebsocketDrain(
  app: FastifyInstance,
  { inFlight, maxWaitMs }: { inFlight: InFlight; maxWaitMs: number },
): void {
  app.addHook('preClose', async () => {
    const clients = app.websocketServer?.clients;
    if (!clients || clients.size === 0) return;
    const deadline = Date.now() + maxWaitMs;
    let quietSince: number | undefined;
    while (Date.now() < deadline) {
      if (inFlight.count > 0) quietSince = undefined;
      else quietSince ??= Date.now();
      if (quietSince !== undefined && Date.now() - quietSince >= QUIET_MS) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  });
}
