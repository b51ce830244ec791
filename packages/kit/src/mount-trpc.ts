import { TRACE_KEEP_HEADER } from '@mesh/wire';
import type { AnyRouter } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { fastifyRequestHandler } from '@trpc/server/adapters/fastify';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MeshContext } from './context.js';
import { FAST_ANSWER_HEADERS, type FastHandler, firstOfRepeats } from './fast-path/fast-handler.js';
import { saidKeep } from './keep-word.js';

export interface MountTrpcOptions {
  prefix: string;
  router: AnyRouter;
  maxBatchSize: number;
  createContext(options: CreateFastifyContextOptions): MeshContext;
  /** Serves what it can before the official adapter; `null` leaves everything to the adapter. */
  fastHandler: FastHandler | null;
  onServed?(handler: 'fast' | 'adapter'): void;
}

/** The keep rule's word to the caller, on the official adapter's answers as on the fast path's. */
function keepWordHeader({ ctx }: { ctx?: MeshContext | undefined }): { headers?: Record<string, string> } {
  return ctx && saidKeep(ctx) ? { headers: { [TRACE_KEEP_HEADER]: '1' } } : {};
}

const passThrough = (payload: unknown): string => payload as string;

const queryParam = (request: FastifyRequest, name: string): string | undefined =>
  firstOfRepeats((request.query as Record<string, unknown>)[name]);

/** The fast path through Fastify's route (POSTs, and every request the front door passes on). */
async function answerFast(
  fastHandler: FastHandler,
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
): Promise<boolean> {
  const answer = await fastHandler({
    method: request.method,
    url: request.url,
    headers: request.headers,
    path,
    batch: queryParam(request, 'batch'),
    inputText:
      request.method === 'GET'
        ? queryParam(request, 'input')
        : typeof request.body === 'string'
          ? request.body
          : undefined,
  });
  if (!answer) return false;
  if (answer.keep) reply.header(TRACE_KEEP_HEADER, '1');
  await reply
    .code(answer.status)
    .headers(FAST_ANSWER_HEADERS)
    // Text through a pass-through serializer: Fastify adds no charset (the official
    // adapter's header bytes), and headers and body leave in one write, where a Buffer
    // body is written apart from the headers (a writev of two).
    .serializer(passThrough)
    .send(answer.body);
  return true;
}

/**
 * Mounts a router the way tRPC's `fastifyTRPCPlugin` does (same body parsers, the official
 * request handler on `<prefix>/:path`, the official websocket handler on `<prefix>`), with
 * the kit's fast path tried first on every HTTP call.
 */
export async function mountTrpc(app: FastifyInstance, options: MountTrpcOptions): Promise<void> {
  const { prefix, router, maxBatchSize, createContext, fastHandler, onServed } = options;
  // The websocket handler needs no `wss` of its own here: @fastify/websocket owns the server.
  const onConnection = getWSConnectionHandler({ router, createContext } as unknown as Parameters<
    typeof getWSConnectionHandler
  >[0]);
  await app.register(
    (scope, _options, done) => {
      // tRPC reads bodies itself: hand them over as text, as the official plugin does.
      for (const type of ['application/json', 'multipart/form-data']) {
        scope.removeContentTypeParser(type);
        scope.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
      }
      scope.all<{ Params: { path: string } }>('/:path', async (request, reply) => {
        const { path } = request.params;
        if (fastHandler && (await answerFast(fastHandler, request, reply, path))) {
          onServed?.('fast');
          return reply;
        }
        onServed?.('adapter');
        await fastifyRequestHandler({
          router,
          createContext,
          maxBatchSize,
          req: request,
          res: reply,
          path,
          responseMeta: keepWordHeader,
        });
        return reply;
      });
      scope.get('/', { websocket: true }, (socket, request) => onConnection(socket, request.raw));
      done();
    },
    { prefix },
  );
}
