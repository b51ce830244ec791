import { createLogger, type Logger } from '@mesh/telemetry';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { createPool } from './create-pool.js';
import type { DbEnv } from './env.js';

/**
 * The adapter depends on a newer @types/pg than the workspace's; the runtime class is the
 * same `pg.Pool` (the adapter checks `instanceof`), only the declarations differ.
 */
type AdapterPool = Extract<ConstructorParameters<typeof PrismaPg>[0], { totalCount: number }>;

export interface CreateDatabaseOptions<TClient> {
  /** A generated Prisma 7 client class (generator `prisma-client`). */
  PrismaClient: new (options: {
    adapter: PrismaPg;
  }) => TClient;
  /** The service's own Postgres schema. */
  schema: string;
  env: DbEnv;
  logger?: Logger;
}

export interface Database<TClient> {
  prisma: TClient;
  /**
   * For read-only work that tolerates replication lag (dashboards): a client on
   * DATABASE_REPLICA_URL, or `prisma` itself when no replica is configured. Never write here.
   */
  replica: TClient;
  /** The pool Prisma runs on; raw queries here are counted too. */
  pool: pg.Pool;
  /** Resolves when Postgres answers `SELECT 1` (readiness checks). */
  ping(): Promise<void>;
  /** Disconnects Prisma (and the replica client), then ends the pools. Safe to call twice. */
  close(): Promise<void>;
}

/** A service's Prisma client on a counted pg pool confined to its own schema. */
export function createDatabase<TClient extends { $disconnect(): Promise<void> }>({
  PrismaClient,
  schema,
  env,
  logger = createLogger({ name: 'db' }),
}: CreateDatabaseOptions<TClient>): Database<TClient> {
  const open = (databaseUrl: string) => {
    const pool = createPool({ env: { ...env, DATABASE_URL: databaseUrl }, schema, logger });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool as unknown as AdapterPool, { schema }) });
    return { pool, prisma, close: () => prisma.$disconnect().then(() => pool.end()) };
  };
  const primary = open(env.DATABASE_URL);
  const replica = env.DATABASE_REPLICA_URL ? open(env.DATABASE_REPLICA_URL) : undefined;
  let closing: Promise<void> | undefined;
  return {
    prisma: primary.prisma,
    replica: replica?.prisma ?? primary.prisma,
    pool: primary.pool,
    async ping() {
      await primary.pool.query('SELECT 1');
    },
    close() {
      closing ??= Promise.all([primary.close(), replica?.close()]).then(() => undefined);
      return closing;
    },
  };
}
