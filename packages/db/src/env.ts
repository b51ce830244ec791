import { parseEnv } from '@mesh/config';
import { z } from 'zod';

const milliseconds = z.coerce.number().int().nonnegative();

const schema = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgresql://postgres@127.0.0.1:5432/postgres'),
  /**
   * A read replica for read-only work that tolerates replication lag (dashboards);
   * `createDatabase` opens `replica` on it. Unset or empty: those reads go to the primary.
   */
  DATABASE_REPLICA_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  ),
  /** Connections per process; each service runs its own pool. */
  DB_POOL_MAX: z.coerce.number().int().positive().default(10),
  DB_POOL_IDLE_TIMEOUT_MS: milliseconds.default(10_000),
  DB_CONNECT_TIMEOUT_MS: milliseconds.default(5_000),
  /** Server-side limit on one statement; 0 disables it. */
  DB_STATEMENT_TIMEOUT_MS: milliseconds.default(15_000),
  /** Queries slower than this are logged (SQL text only, never parameters). */
  DB_SLOW_QUERY_MS: milliseconds.default(1_000),
});

export type DbEnv = z.infer<typeof schema>;

/** Reads the database settings; throws an EnvError naming each bad variable. */
export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  return parseEnv(schema, source);
}
