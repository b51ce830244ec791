import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { DescService } from '@bufbuild/protobuf';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import { createGrpcFastPath } from './grpc-fast-path.js';
import { grpcRoutes } from './grpc-routes.js';
import { createMethodTable } from './method-table.js';

export interface GrpcServerOptions {
  service: MeshService<AnyRouter>;
  /** The contracts' gRPC services this service answers (`UserCacheService`). */
  services: readonly DescService[];
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest request message accepted, like the HTTP face's body limit. */
  readMaxBytes: number;
  /** How long close() lets running calls finish before it cuts their connections. */
  closeTimeoutMs: number;
  /** How often a health Watch re-checks readiness. */
  healthWatchIntervalMs?: number;
  /** false: every call through Connect's adapter (the fast path's own tests compare the two). */
  fastPath?: boolean;
}

export interface GrpcServer {
  /** `http://host:port`: plaintext HTTP/2 (h2c) serving gRPC, gRPC-Web and Connect. */
  url: string;
  port: number;
  /** Stops accepting, ends streams (their handlers see the abort), lets unary calls finish. */
  close(): Promise<void>;
}

/**
 * The service's gRPC listener: its own plaintext HTTP/2 port, since Node cannot serve h2c
 * and the HTTP/1.1 + websocket face on one port. Plain gRPC to the service's RPCs is served
 * straight off the stream (grpc-fast-path.ts); everything else (gRPC-Web, Connect, compressed
 * calls, health, reflection) by Connect's Node adapter, through Node's compatibility objects
 * made here as Node's own 'request' event would make them.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const shutdown = new AbortController();
  const table = createMethodTable(options.service, options.services);
  const connect = connectNodeAdapter({
    routes: grpcRoutes({
      table,
      services: options.services,
      ready: async () =>
        (await options.service.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
      ...(options.healthWatchIntervalMs ? { healthWatchIntervalMs: options.healthWatchIntervalMs } : {}),
    }),
    readMaxBytes: options.readMaxBytes,
    shutdownSignal: shutdown.signal,
  });
  const fast = createGrpcFastPath({
    table,
    readMaxBytes: options.readMaxBytes,
    shutdownSignal: shutdown.signal,
    log: options.service.log,
  });
  const useFastPath = options.fastPath ?? true;
  const server = http2.createServer();
  server.on('stream', (stream, headers, _flags, rawHeaders) => {
    const entry = useFastPath ? fast.match(headers) : undefined;
    if (entry) {
      fast.serve(stream, headers, entry);
      return;
    }
    void connect(
      new http2.Http2ServerRequest(stream, headers, {}, rawHeaders),
      new http2.Http2ServerResponse(stream),
    );
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      shutdown.abort();
      // GOAWAY: no new streams on open connections; the ones running finish first.
      for (const session of sessions) session.close();
      const timer = setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, options.closeTimeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
