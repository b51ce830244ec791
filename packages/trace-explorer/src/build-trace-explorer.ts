import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ExplorerError } from './errors.js';
import { otlpEncodingOf, readOtlpBody } from './read-otlp-body.js';
import { loadStaticFiles } from './static-files.js';
import { createTraceStore, type TraceStore } from './trace-store.js';

export interface BuildTraceExplorerOptions {
  maxTraces?: number;
  maxBytes?: number;
  bodyLimitBytes?: number;
}

export interface TraceExplorer {
  app: FastifyInstance;
  store: TraceStore;
  /** Listens and returns the base URL (port 0: a free port). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const listQuery = z.object({
  service: z.string().optional(),
  procedure: z.string().optional(),
  minMs: z.coerce.number().min(0).optional(),
  errors: z.enum(['true', 'false', '1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

// An OTLP success answer: an empty ExportTraceServiceResponse in the request's encoding.
const emptyProtobuf = Buffer.alloc(0);

/** The trace explorer: OTLP/HTTP receiver, JSON API and the page, in one Fastify app. */
export async function buildTraceExplorer(options: BuildTraceExplorerOptions = {}): Promise<TraceExplorer> {
  const store = createTraceStore({
    maxTraces: options.maxTraces ?? 2_000,
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
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

  app.post('/v1/traces', async (request, reply) => {
    const encoding = otlpEncodingOf(request.headers['content-type']);
    if (!encoding) throw new ExplorerError('OTLP_UNSUPPORTED_MEDIA_TYPE');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const spans = readOtlpBody(body, encoding, request.headers['content-encoding']);
    store.add(spans);
    if (encoding === 'protobuf') return reply.type('application/x-protobuf').send(emptyProtobuf);
    return reply.type('application/json').send({});
  });

  app.get('/api/traces', async (request) => {
    const query = listQuery.safeParse(request.query);
    if (!query.success) throw new ExplorerError('BAD_QUERY', query.error.issues[0]?.path.join('.'));
    const { service, procedure, minMs, errors, limit } = query.data;
    const listed = store.list({
      service: service || undefined,
      procedure: procedure || undefined,
      minDurationMs: minMs,
      errorsOnly: errors === 'true' || errors === '1',
      limit,
    });
    return { ...listed, stored: store.stats() };
  });

  app.get<{ Params: { traceId: string } }>('/api/traces/:traceId', async (request) => {
    const spans = store.get(request.params.traceId.toLowerCase());
    if (!spans) throw new ExplorerError('TRACE_NOT_FOUND');
    return { traceId: request.params.traceId.toLowerCase(), spans };
  });

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
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      return `http://${host}:${bound}`;
    },
    close: () => app.close(),
  };
}
