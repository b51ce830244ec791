import type { DescMethod, DescService } from '@bufbuild/protobuf';
import type { MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import {
  createProcedureHandler,
  procedurePathOf,
  type StreamHandler,
  type UnaryHandler,
} from './procedure-handler.js';

export type MethodEntry =
  | { method: DescMethod; kind: 'unary'; handler: UnaryHandler }
  | { method: DescMethod; kind: 'server_streaming'; handler: StreamHandler };

/** Every RPC of `services`, by its HTTP/2 path (`/mesh.user_cache.v1.UserCacheService/GetUsers`). */
export type MethodTable = ReadonlyMap<string, MethodEntry>;

/**
 * The handlers of every RPC of `services`, each running the same-named procedure of the
 * service's router with the service's own context: shared by the Connect routes and the
 * gRPC fast path, so both protocols run exactly the same code.
 */
export function createMethodTable(
  service: MeshService<AnyRouter>,
  services: readonly DescService[],
): MethodTable {
  const table = new Map<string, MethodEntry>();
  for (const desc of services) {
    for (const method of desc.methods) {
      const grpc = { service: desc.typeName, method: method.name };
      const handler = createProcedureHandler({
        method,
        path: procedurePathOf(method),
        router: service.router,
        domain: service.name,
        context: (headers) => service.grpcContext(headers, grpc),
      });
      const path = `/${desc.typeName}/${method.name}`;
      table.set(
        path,
        method.methodKind === 'unary'
          ? { method, kind: 'unary', handler: handler as UnaryHandler }
          : { method, kind: 'server_streaming', handler: handler as StreamHandler },
      );
    }
  }
  return table;
}
