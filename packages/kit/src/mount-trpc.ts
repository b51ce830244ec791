import { TRACE_KEEP_HEADER } from '@mesh/wire';
import type { AnyRouter } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { fastifyRequestHandler } from '@trpc/server/adapters/fastify';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import type { FastifyInstance } from 'fastify';
import type { MeshContext } from './context.js';
import type { FastHandler } from './fast-path/fast-handler.js';
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
        if (fastHandler && (await fastHandler(request, reply, path))) {
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
