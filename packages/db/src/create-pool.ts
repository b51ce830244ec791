import type { Logger } from '@mesh/telemetry';
import type pg from 'pg';
import { AsyncContextPool } from './async-context-pool.js';
import { createCountingClient } from './create-counting-client.js';
import type { DbEnv } from './env.js';
import { quoteIdentifier } from './quote-identifier.js';

export interface CreatePoolOptions {
  env: DbEnv;
  /** Postgres schema put first on every connection's search_path. */
  schema: string;
  logger: Logger;
}

/** The pool behind a service's Prisma client: sized and timed from env, every query counted. */
export function createPool({ env, schema, logger }: CreatePoolOptions): pg.Pool {
  const pool = new AsyncContextPool({
    connectionString: env.DATABASE_URL,
    max: env.DB_POOL_MAX,
    idleTimeoutMillis: env.DB_POOL_IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: env.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: env.DB_STATEMENT_TIMEOUT_MS,
    options: `-c search_path=${quoteIdentifier(schema)}`,
    Client: createCountingClient({ slowQueryMs: env.DB_SLOW_QUERY_MS, logger }),
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (error) => logger.error({ err: error }, 'idle database connection failed'));
  return pool;
}
