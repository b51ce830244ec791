import type { IncomingHttpHeaders } from 'node:http';
import type { DescService } from '@bufbuild/protobuf';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { Health } from '@mesh/contracts';
import { registerHealth } from './grpc-health.js';
import { registerReflection } from './grpc-reflection.js';
import type { MethodTable } from './method-table.js';

export interface GrpcRoutesOptions {
  table: MethodTable;
  /** The contracts' gRPC services served (`UserCacheService`). */
  services: readonly DescService[];
  /** Whether the service is ready (its `/readyz`). */
  ready(): Promise<boolean>;
  /** How often a health Watch re-checks readiness. */
  healthWatchIntervalMs?: number;
}

function headersOf(headers: Headers): IncomingHttpHeaders {
  const plain: IncomingHttpHeaders = {};
  headers.forEach((value, key) => {
    plain[key] = value;
  });
  return plain;
}

const callInfo = (context: HandlerContext) => ({
  headers: headersOf(context.requestHeader),
  signal: context.signal,
});

/**
 * Every RPC of the table as a Connect route (gRPC, gRPC-Web, Connect), plus grpc.health.v1 and
 * grpc.reflection. Works with any Connect adapter.
 */
export function grpcRoutes({ table, services, ready, healthWatchIntervalMs = 5000 }: GrpcRoutesOptions) {
  return (router: ConnectRouter) => {
    for (const entry of table.values()) {
      if (entry.kind === 'unary') {
        const { handler } = entry;
        router.rpc(entry.method, ((request: never, context: HandlerContext) =>
          handler(request, callInfo(context))) as never);
      } else {
        const { handler } = entry;
        router.rpc(entry.method, ((request: never, context: HandlerContext) =>
          handler(request, callInfo(context))) as never);
      }
    }
    registerHealth(router, { services, watchIntervalMs: healthWatchIntervalMs, ready });
    registerReflection(router, { services: [...services, Health] });
  };
}
