import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { type GrpcRoutesOptions, grpcRoutes } from './grpc-routes.js';

export interface GrpcServerOptions extends GrpcRoutesOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest request message accepted, like the HTTP face's body limit. */
  readMaxBytes: number;
  /** How long close() lets running calls finish before it cuts their connections. */
  closeTimeoutMs: number;
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
 * and the HTTP/1.1 + websocket face on one port. Connect's Node adapter speaks gRPC,
 * gRPC-Web and Connect on it.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const shutdown = new AbortController();
  const handler = connectNodeAdapter({
    routes: grpcRoutes(options),
    readMaxBytes: options.readMaxBytes,
    shutdownSignal: shutdown.signal,
  });
  const server = http2.createServer(handler);
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
