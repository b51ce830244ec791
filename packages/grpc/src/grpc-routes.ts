import type { DescService } from '@bufbuild/protobuf';
import type { ConnectRouter } from '@connectrpc/connect';
import { Health } from '@mesh/contracts';
import type { MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import { registerHealth } from './grpc-health.js';
import { registerReflection } from './grpc-reflection.js';
import { createProcedureHandler, procedurePathOf } from './procedure-handler.js';

export interface GrpcRoutesOptions {
  service: MeshService<AnyRouter>;
  /** The contracts' gRPC services this service answers (`UserCacheService`). */
  services: readonly DescService[];
  /** How often a health Watch re-checks readiness. */
  healthWatchIntervalMs?: number;
}

function headersOf(headers: Headers): Record<string, string> {
  const plain: Record<string, string> = {};
  headers.forEach((value, key) => {
    plain[key] = value;
  });
  return plain;
}

/**
 * Every RPC of `services` as a route running the same-named procedure of the service's router,
 * plus grpc.health.v1 and grpc.reflection. Works with any Connect adapter (node, fastify).
 */
export function grpcRoutes({ service, services, healthWatchIntervalMs = 5000 }: GrpcRoutesOptions) {
  return (router: ConnectRouter) => {
    for (const desc of services) {
      for (const method of desc.methods) {
        const grpc = { service: desc.typeName, method: method.name };
        const handler = createProcedureHandler({
          method,
          path: procedurePathOf(method),
          router: service.router,
          domain: service.name,
          context: (call) => service.grpcContext(headersOf(call.requestHeader), grpc),
        });
        router.rpc(method, handler as never);
      }
    }
    registerHealth(router, {
      services,
      watchIntervalMs: healthWatchIntervalMs,
      ready: async () => (await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
    });
    registerReflection(router, { services: [...services, Health] });
  };
}
