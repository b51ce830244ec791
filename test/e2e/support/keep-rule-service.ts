// A two-tier test service for the keep rule: run once as the back (no KEEP_PEER_URL), which
// does what it is asked (answer, fail, answer late, or answer after an error it handled), and
// once as the front, which asks the back the same over HTTP or a websocket. Test code only:
// each runs as its own process, sampling and exporting as a deployed service does.
import { startTelemetry } from '@mesh/telemetry';
import { exitOnSignals } from './exit-on-signals.js';

const env = process.env;
const serviceName = env.KEEP_SERVICE_NAME ?? 'keep-back';
const telemetry = startTelemetry({
  serviceName,
  endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  instrument: true,
});

const { createService, procedure, readKitEnv, router } = await import('@mesh/kit');
const { createServiceClient } = await import('@mesh/client');
const { SpanStatusCode, trace } = await import('@opentelemetry/api');
const { TRPCError } = await import('@trpc/server');
const { setTimeout: delay } = await import('node:timers/promises');
const { z } = await import('zod');

const outcomes = ['ok', 'fail', 'slow', 'handled-error', 'caught'] as const;
const workInput = z.object({
  outcome: z.enum(outcomes),
  via: z.enum(['http', 'websocket']),
  /** Lets a test find a trace it did not start (its root sampled here). */
  tag: z.string(),
});

/** What the back does for each outcome (`caught`: fail, for the front to catch). */
async function work(outcome: (typeof outcomes)[number]): Promise<{ done: true }> {
  if (outcome === 'fail' || outcome === 'caught') {
    throw new TRPCError({ code: 'CONFLICT', message: 'asked to fail' });
  }
  if (outcome === 'slow') await delay(Number(env.KEEP_SLOW_WORK_MS ?? 400));
  if (outcome === 'handled-error') {
    // An error inside the call that the call itself gets over: the answer is quick and fine.
    const span = trace.getTracer('keep-rule-service').startSpan('flaky lookup');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'retried' });
    span.end();
  }
  return { done: true };
}

const peerUrl = env.KEEP_PEER_URL;
const token = env.MESH_SERVICE_TOKEN as string;

/** The back as the front calls it (typed by hand: the router's type would refer to itself). */
interface Peer {
  client: {
    work: {
      query(input: { outcome: (typeof outcomes)[number]; via: string; tag: string }): Promise<{ done: true }>;
    };
  };
  close(): Promise<void>;
}
const peerClient = (transport: 'http' | 'websocket', url: string): Peer =>
  createServiceClient({ url, token, transport, wsPoolSize: 1, retries: 0 }) as unknown as Peer;
const peer = peerUrl
  ? { http: peerClient('http', peerUrl), websocket: peerClient('websocket', peerUrl) }
  : undefined;
const keepRouter = router({
  work: procedure.input(workInput).query(async ({ input }) => {
    trace.getActiveSpan()?.setAttribute('keep.tag', input.tag);
    if (!peer) return work(input.outcome);
    try {
      return await peer[input.via].client.work.query(input);
    } catch (error) {
      if (input.outcome === 'caught') return { done: true as const };
      throw error;
    }
  }),
});

export type KeepRouter = typeof keepRouter;

const service = await createService({
  name: serviceName,
  router: keepRouter,
  env: readKitEnv(env),
  readiness: {},
  onClose: [async () => Promise.all([peer?.http.close(), peer?.websocket.close()])],
});
await service.listen(Number(env.KEEP_PORT));
exitOnSignals(
  () => service.close(),
  () => telemetry.shutdown(),
);
