/** One process `mesh up` starts, and where it lives in the repo. */
export interface ServiceSpec {
  name: string;
  /** The port it listens on unless `portVar` says otherwise. */
  port: number;
  /** The variable that moves it, e.g. `USER_CACHE_PORT`. */
  portVar: string;
  /** The variable its peers find it by, e.g. `USER_CACHE_URL` (http://127.0.0.1:<port>). */
  urlVar: string;
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

/** The trace explorer's name in the table: service-env.ts points the exporters at it. */
export const TRACE_EXPLORER = 'trace-explorer';

/**
 * The mesh, in start order. The trace explorer comes first, so the services' first spans
 * have somewhere to go; the services get OTEL_EXPORTER_OTLP_ENDPOINT pointing at it
 * (see up/service-env.ts).
 */
export const meshServices: readonly ServiceSpec[] = [
  {
    name: TRACE_EXPLORER,
    port: 4000,
    portVar: 'TRACE_EXPLORER_PORT',
    urlVar: 'TRACE_EXPLORER_URL',
    entry: 'packages/trace-explorer/src/main.ts',
    stopsLast: true,
  },
  {
    name: 'ingestion',
    port: 4010,
    portVar: 'INGESTION_PORT',
    urlVar: 'INGESTION_URL',
    entry: 'services/ingestion/src/main.ts',
    database: { schema: 'ingestion', migrationsDir: 'services/ingestion/prisma/migrations' },
  },
  {
    name: 'user-cache',
    port: 4020,
    portVar: 'USER_CACHE_PORT',
    urlVar: 'USER_CACHE_URL',
    entry: 'services/user-cache/src/main.ts',
    database: { schema: 'users', migrationsDir: 'services/user-cache/prisma/migrations' },
  },
  {
    name: 'analytics',
    port: 4030,
    portVar: 'ANALYTICS_PORT',
    urlVar: 'ANALYTICS_URL',
    entry: 'services/analytics/src/main.ts',
    database: { schema: 'analytics', migrationsDir: 'services/analytics/prisma/migrations' },
  },
  {
    name: 'bot-control',
    port: 4040,
    portVar: 'BOT_CONTROL_PORT',
    urlVar: 'BOT_CONTROL_URL',
    entry: 'services/bot-control/src/main.ts',
    database: { schema: 'bots', migrationsDir: 'services/bot-control/prisma/migrations' },
  },
];
