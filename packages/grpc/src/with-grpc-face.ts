import type { DescService } from '@bufbuild/protobuf';
import type { KitEnv, MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import { type GrpcServer, startGrpcServer } from './grpc-server.js';

export interface GrpcFaceOptions {
  /** The contracts' gRPC services the service answers (`UserCacheService`). */
  services: readonly DescService[];
  /** The service's gRPC port (`env.grpcPort`, from the catalogue). */
  port: number;
  env: Pick<KitEnv, 'HOST' | 'BODY_LIMIT_BYTES' | 'SHUTDOWN_TIMEOUT_MS'>;
  healthWatchIntervalMs?: number;
  /** false: plain gRPC through Connect's adapter too, not the fast path (for comparisons). */
  fastPath?: boolean;
}

export interface MeshServiceWithGrpc<TRouter extends AnyRouter> extends MeshService<TRouter> {
  /** The gRPC face's `http://host:port` once listening. */
  grpcUrl(): string | undefined;
}

/**
 * The service with its gRPC face: `listen` also opens the gRPC port (a free one when the HTTP
 * port is 0, as in tests) and logs it; `close` stops the face before the service, so no call
 * reaches a closed database pool. The face runs the service's own procedures.
 */
export function withGrpcFace<TRouter extends AnyRouter>(
  service: MeshService<TRouter>,
  options: GrpcFaceOptions,
): MeshServiceWithGrpc<TRouter> {
  let face: GrpcServer | undefined;
  return {
    ...service,
    grpcUrl: () => face?.url,
    async listen(port) {
      const url = await service.listen(port);
      face = await startGrpcServer({
        service: service as MeshService<AnyRouter>,
        services: options.services,
        host: options.env.HOST,
        port: port === 0 ? 0 : options.port,
        readMaxBytes: options.env.BODY_LIMIT_BYTES,
        closeTimeoutMs: Math.floor(options.env.SHUTDOWN_TIMEOUT_MS / 2),
        ...(options.healthWatchIntervalMs ? { healthWatchIntervalMs: options.healthWatchIntervalMs } : {}),
        ...(options.fastPath === undefined ? {} : { fastPath: options.fastPath }),
      });
      service.log.info(
        { grpcUrl: face.url, services: options.services.map((desc) => desc.typeName) },
        `${service.name} gRPC listening`,
      );
      return url;
    },
    async close() {
      await face?.close();
      await service.close();
    },
  };
}

/** The gRPC URL of a listening service built `withGrpcFace`; throws for one without the face. */
export function grpcUrlOf(service: MeshService<AnyRouter>): string {
  const url = 'grpcUrl' in service ? (service as MeshServiceWithGrpc<AnyRouter>).grpcUrl() : undefined;
  if (!url) throw new Error(`${service.name} has no gRPC face listening`);
  return url;
}
