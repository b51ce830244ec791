import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ExplorerError } from './errors.js';
import type { FindingThresholds } from './find-findings.js';
import { registerInsightRoutes } from './insight-routes.js';
import { registerLiveRoute } from './live-route.js';
import { createLogStore, type LogStore } from './log-store.js';
import { type OtlpEncoding, otlpEncodingOf, readOtlpBody, readOtlpLogsBody } from './read-otlp-body.js';
import { loadStaticFiles } from './static-files.js';
import { registerTraceRoutes } from './trace-routes.js';
import { createTraceStore, type TraceStore } from './trace-store.js';

export interface BuildTraceExplorerOptions {
  maxTraces?: number;
  /** Bytes of spans kept (their JSON size). */
  maxBytes?: number;
  maxSpans?: number;
  maxLogs?: number;
  /** Bytes of log records kept. */
  maxLogBytes?: number;
  bodyLimitBytes?: number;
  thresholds?: Partial<FindingThresholds>;
}

export interface TraceExplorer {
  app: FastifyInstance;
  store: TraceStore;
  logs: LogStore;
  /** Listens and returns the base URL (port 0: a free port). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

// An OTLP success answer: an empty Export*ServiceResponse in the request's encoding.
const emptyProtobuf = Buffer.alloc(0);

/** The trace explorer: OTLP/HTTP receiver, JSON API and the page, in one Fastify app. */
export async function buildTraceExplorer(options: BuildTraceExplorerOptions = {}): Promise<TraceExplorer> {
  const store = createTraceStore({
    maxTraces: options.maxTraces ?? 2_000,
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    maxSpans: options.maxSpans ?? 200_000,
    thresholds: options.thresholds,
  });
  const logs = createLogStore({
    maxLogs: options.maxLogs ?? 20_000,
    maxBytes: options.maxLogBytes ?? 16 * 1024 * 1024,
  });
  const app = Fastify({ bodyLimit: options.bodyLimitBytes ?? 16 * 1024 * 1024 });
  // Both encodings arrive as raw bytes: decoding (and gzip) is the receiver's job, so a bad
  // body gets the receiver's OTLP_MALFORMED answer whatever its type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ExplorerError) {
      return reply.code(error.status).send({ code: error.code, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send({ code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL', message: 'Request failed' });
  });

  const otlp = (request: FastifyRequest): { body: Buffer; encoding: OtlpEncoding } => {
    const encoding = otlpEncodingOf(request.headers['content-type']);
    if (!encoding) throw new ExplorerError('OTLP_UNSUPPORTED_MEDIA_TYPE');
    return { body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), encoding };
  };
  const answer = (reply: FastifyReply, encoding: OtlpEncoding) =>
    encoding === 'protobuf'
      ? reply.type('application/x-protobuf').send(emptyProtobuf)
      : reply.type('application/json').send({});

  app.post('/v1/traces', async (request, reply) => {
    const { body, encoding } = otlp(request);
    store.add(readOtlpBody(body, encoding, request.headers['content-encoding']));
    return answer(reply, encoding);
  });
  app.post('/v1/logs', async (request, reply) => {
    const { body, encoding } = otlp(request);
    logs.add(readOtlpLogsBody(body, encoding, request.headers['content-encoding']));
    return answer(reply, encoding);
  });

  registerTraceRoutes(app, store);
  registerInsightRoutes(app, store, logs);
  registerLiveRoute(app, store);

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async () => ({ ok: true }));
  for (const file of await loadStaticFiles()) {
    app.get(file.path, (_request, reply) => {
      reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
    });
  }

  return {
    app,
    store,
    logs,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      return `http://${host}:${bound}`;
    },
    close: () => app.close(),
  };
}
