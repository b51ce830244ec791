import { type ProcessEntry, serviceEntries, traceExplorer } from '@mesh/catalogue';

/** One process `mesh up` starts, and where it lives in the repo (from the catalogue). */
export interface ServiceSpec {
  name: string;
  /** The port it listens on unless `portVar` says otherwise. */
  port: number;
  /** The variable that moves it, e.g. `USER_CACHE_PORT`. */
  portVar: string;
  /** The variable its peers find it by, e.g. `USER_CACHE_URL` (http://127.0.0.1:<port>). */
  urlVar: string;
  /** Its gRPC port and the variable that moves it (`USER_CACHE_GRPC_PORT`); absent for the trace explorer. */
  grpc?: { port: number; portVar: string };
  /** Process entry, relative to the repo root (or absolute). */
  entry: string;
  /** Its own Postgres schema and the SQL migrations for it; absent for a service without a database. */
  database?: { schema: string; migrationsDir: string };
  /**
   * Stopped only after every other service has exited: the trace explorer, so the services'
   * last spans, flushed as they shut down, still have somewhere to go.
   */
  stopsLast?: boolean;
}

/** Every variable that moves a port of `services`: each HTTP port's, then each gRPC port's. */
export function portVarsOf(services: readonly ServiceSpec[]): string[] {
  return [
    ...services.map((service) => service.portVar),
    ...services.flatMap((service) => (service.grpc ? [service.grpc.portVar] : [])),
  ];
}

/** The trace explorer's name in the table: service-env.ts points the exporters at it. */
export const TRACE_EXPLORER = traceExplorer.name;

function processSpec(entry: ProcessEntry): ServiceSpec {
  return {
    name: entry.name,
    port: entry.httpPort,
    portVar: entry.portVar,
    urlVar: entry.urlVar,
    entry: entry.entry,
  };
}

/**
 * The mesh, in start order. The trace explorer comes first, so the services' first spans
 * have somewhere to go; the services get OTEL_EXPORTER_OTLP_ENDPOINT pointing at it
 * (see up/service-env.ts). Every fact comes from @mesh/catalogue.
 */
export const meshServices: readonly ServiceSpec[] = [
  { ...processSpec(traceExplorer), stopsLast: true },
  ...serviceEntries.map(
    (entry): ServiceSpec => ({
      ...processSpec(entry),
      grpc: { port: entry.grpcPort, portVar: entry.grpcPortVar },
      database: { schema: entry.database.schema, migrationsDir: entry.database.migrationsDir },
    }),
  ),
];
