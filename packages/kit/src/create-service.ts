import type { IncomingHttpHeaders } from 'node:http';
import websocket from '@fastify/websocket';
import { createLogger, type Logger } from '@mesh/telemetry';
import type { AnyRouter } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { ALL_LAYERS_ON, type CallLayer } from './call-layers.js';
import type { GrpcMethod, MeshContext } from './context.js';
import { registerDrainOnClose } from './drain-on-close.js';
import type { KitEnv } from './env.js';
import { createFastCaller } from './fast-path/fast-caller.js';
import { createFastHandler } from './fast-path/fast-handler.js';
import { installFrontDoor } from './fast-path/front-door.js';
import { InFlight } from './in-flight.js';
import { lazyChildLoggerFactory } from './lazy-child-logger.js';
import { createServiceMetrics, type ServiceMetrics, silentMetrics } from './metrics.js';
import { mountTrpc } from './mount-trpc.js';
import { registerProceduresRoute } from './procedures-route.js';
import { checkReadiness, type OptionalReadinessCheck, type ReadinessCheck } from './readiness.js';
import { registerCors } from './register-cors.js';
import { registerTimingHooks } from './timing-hooks.js';
import { bearerToken, createTokenVerifier } from './verify-token.js';
import { registerWebsocketDrain } from './websocket-drain.js';

export interface CreateServiceOptions<TRouter extends AnyRouter> {
  name: string;
  router: TRouter;
  env: KitEnv;
  /** Dependencies `/readyz` must reach; `null` marks one deliberately absent. */
  readiness?: Record<string, ReadinessCheck | OptionalReadinessCheck | null>;
  /** Run after the server stopped taking requests, in order (close pools, quit Redis). */
  onClose?: Array<() => Promise<unknown>>;
  logger?: Logger;
  /**
   * For the cost bench only (`packages/kit/bench/cost-server.ts`): serve with these layers
   * taken away, to measure what each costs a call. Every one changes what a call gets (no
   * token check, no span, no metrics...), so no service sets it.
   */
  layersOff?: readonly CallLayer[];
  /**
   * `false` serves the fast path's GETs through Fastify's route too, as before the front door
   * (`fast-path/front-door.ts`): for the cost bench's row and the tests that compare the two.
   */
  frontDoor?: boolean;
}

export interface MeshService<TRouter extends AnyRouter> {
  name: string;
  app: FastifyInstance;
  router: TRouter;
  metrics: ServiceMetrics;
  log: Logger;
  /**
   * An in-process caller with a trusted context: the procedures run exactly as over
   * HTTP (middlewares, validation, tracing), in the caller's async context, so a test's
   * query budget (`expectQueryBudget`) sees their queries.
   */
  createCaller(): ReturnType<TRouter['createCaller']>;
  /**
   * The context of a call that came through the gRPC face: built like the tRPC entry points'
   * (the same token check, on `headers.authorization`), with the gRPC method it came by.
   */
  grpcContext(headers: IncomingHttpHeaders, grpc: GrpcMethod): MeshContext;
  /** Listens on `port` (0 picks a free one) and resolves to the base URL. */
  listen(port: number): Promise<string>;
  /** Stops accepting, finishes in-flight calls, closes sockets, then runs `onClose`. */
  close(): Promise<void>;
}

export const TRPC_PREFIX = '/trpc';

/** Room for MAX_BATCH_SIZE procedure names joined by commas; tRPC's docs use the same figure. */
const MAX_BATCH_PATH_LENGTH = 5000;

function connectionToken(info: CreateFastifyContextOptions['info']): string | undefined {
  const token = info.connectionParams?.token;
  return typeof token === 'string' ? token : undefined;
}

/** A Fastify 5 server serving `router` over HTTP (batched) and websocket, with health, metrics and auth. */
export async function createService<TRouter extends AnyRouter>(
  options: CreateServiceOptions<TRouter>,
): Promise<MeshService<TRouter>> {
  const { name, router, env, readiness = {}, onClose = [] } = options;
  const layersOff = options.layersOff?.length ? new Set(options.layersOff) : ALL_LAYERS_ON;
  const log = options.logger ?? createLogger({ name, level: env.LOG_LEVEL });
  const metrics = layersOff.has('metrics')
    ? silentMetrics(createServiceMetrics(name))
    : createServiceMetrics(name);
  const verify = layersOff.has('auth') ? () => true : createTokenVerifier(env.MESH_SERVICE_TOKEN);
  const inFlight = new InFlight();

  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request lines are replaced by metrics and the slow-request warning.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: env.BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
    // A batch puts every procedure name in the path (`/trpc/a,b,c`); Fastify's default
    // 100-character parameter limit would answer a 20-call batch with 414.
    routerOptions: { maxParamLength: MAX_BATCH_PATH_LENGTH },
    return503OnClosing: true,
    // request.log is made when a request first writes a line (most write none); the cost
    // bench's `requestLogger` layer gives every request the service logger itself.
    childLoggerFactory: layersOff.has('requestLogger')
      ? (logger: FastifyBaseLogger) => logger
      : lazyChildLoggerFactory,
  });
  registerTimingHooks(app, { slowRequestMs: env.SLOW_REQUEST_MS, metrics });
  const isClosing = registerDrainOnClose(app);
  registerWebsocketDrain(app, { inFlight, maxWaitMs: Math.floor(env.SHUTDOWN_TIMEOUT_MS / 2) });
  await registerCors(app, { origins: env.CORS_ORIGINS });

  app.get('/healthz', async () => ({ status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    const report = await checkReadiness(readiness, log);
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  registerProceduresRoute(app, { name, router, verify });

  /** The one place a MeshContext is made; each entry point says only how the call arrived. */
  const buildContext = ({
    headers,
    transport,
    authorized,
    batchSize,
    grpc,
  }: Pick<MeshContext, 'headers' | 'transport' | 'authorized' | 'batchSize' | 'grpc'>): MeshContext => ({
    service: name,
    headers,
    transport,
    authorized,
    batchSize,
    grpc,
    metrics,
    inFlight,
    log,
    layersOff,
  });
  const createContext = ({ req, info }: CreateFastifyContextOptions): MeshContext =>
    buildContext({
      headers: req.headers,
      // The adapter hands a websocket connection the bare IncomingMessage, HTTP a FastifyRequest.
      transport: 'raw' in req ? 'http' : 'websocket',
      // The token rides in connectionParams only on a websocket; over HTTP tRPC would read them
      // from the URL, where proxies, logs and spans would keep it.
      authorized: verify(
        bearerToken(req.headers.authorization) ?? ('raw' in req ? undefined : connectionToken(info)),
      ),
      // A websocket context is made once per socket, with no calls yet (tRPC passes none), and
      // each call on it is answered by itself as soon as it is done, whatever frame carried it:
      // a batch of one.
      batchSize: 'raw' in req ? info.calls.length : 1,
    });
  const fastHandler = env.TRPC_FAST_PATH
    ? createFastHandler({
        router,
        maxBatchSize: env.MAX_BATCH_SIZE,
        layersOff,
        createContext: (headers, batchSize) =>
          buildContext({
            headers,
            transport: 'http',
            authorized: verify(bearerToken(headers.authorization)),
            batchSize,
          }),
      })
    : null;
  await app.register(websocket, { options: { maxPayload: env.BODY_LIMIT_BYTES } });
  await mountTrpc(app, {
    prefix: TRPC_PREFIX,
    router,
    maxBatchSize: env.MAX_BATCH_SIZE,
    createContext,
    fastHandler,
    onServed: metrics.observeTrpcHandler,
  });

  // Queries on the fast path skip Fastify's per-request work; CORS needs its plugin's hooks.
  if (fastHandler && env.CORS_ORIGINS.length === 0 && options.frontDoor !== false) {
    installFrontDoor(app, {
      prefix: TRPC_PREFIX,
      fastHandler,
      maxPathLength: MAX_BATCH_PATH_LENGTH,
      metrics,
      slowRequestMs: env.SLOW_REQUEST_MS,
      log,
      isClosing,
    });
  }

  for (const hook of onClose) app.addHook('onClose', async () => void (await hook()));

  return {
    name,
    app,
    router,
    metrics,
    log,
    createCaller: () => {
      const ctx = buildContext({ headers: {}, transport: 'http', authorized: true, batchSize: 1 });
      return env.TRPC_FAST_PATH
        ? createFastCaller(router, ctx)
        : (router.createCaller(ctx) as ReturnType<TRouter['createCaller']>);
    },
    grpcContext: (headers, grpc) =>
      buildContext({
        headers,
        transport: 'grpc',
        authorized: verify(bearerToken(headers.authorization)),
        batchSize: 1,
        grpc,
      }),
    async listen(port) {
      await app.listen({ port, host: env.HOST });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://${env.HOST}:${actual}`;
    },
    close: () => app.close(),
  };
}
