import { type ServiceSpec, TRACE_EXPLORER } from '../services.js';

export interface ServiceEnvOptions {
  /** The environment `mesh` itself got. */
  inherited: Readonly<Record<string, string>>;
  /** With their ports as placed for this run. */
  services: readonly ServiceSpec[];
  databaseUrl: string;
  /** `''`: no Redis. */
  redisUrl: string;
  serviceToken: string;
}

/** 127.0.0.1:<port> of its gRPC face (gRPC, gRPC-Web and Connect over h2c), or undefined. */
export function grpcAddress(service: Pick<ServiceSpec, 'grpc'>): string | undefined {
  return service.grpc ? `127.0.0.1:${service.grpc.port}` : undefined;
}

/** http://127.0.0.1:<port>: where the service listens and where its peers call it. */
export function serviceUrl(service: Pick<ServiceSpec, 'port'>): string {
  return `http://127.0.0.1:${service.port}`;
}

/**
 * What every service process gets: the parent's environment, the shared backends and token,
 * every port variable (HTTP and gRPC) and every peer URL, and OTEL_EXPORTER_OTLP_ENDPOINT pointing at the
 * trace explorer unless the user set it (set it empty to export nothing).
 */
export function serviceEnv({
  inherited,
  services,
  databaseUrl,
  redisUrl,
  serviceToken,
}: ServiceEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    ...inherited,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    MESH_SERVICE_TOKEN: serviceToken,
  };
  for (const service of services) {
    env[service.portVar] = String(service.port);
    env[service.urlVar] = serviceUrl(service);
    if (service.grpc) env[service.grpc.portVar] = String(service.grpc.port);
  }
  const explorer = services.find((service) => service.name === TRACE_EXPLORER);
  if (explorer && inherited.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) {
    env.OTEL_EXPORTER_OTLP_ENDPOINT = serviceUrl(explorer);
  }
  return env;
}
