import { createLogger, type Logger } from '@mesh/telemetry';
import { applyMigration } from './apply-migration.js';
import { planMigrations } from './plan-migrations.js';
import { ensureMigrationsTable, readMigrationRows } from './prisma-migrations-table.js';
import { readMigrations } from './read-migrations.js';
import { prismaMigrateLockKey, withAdvisoryLock } from './with-advisory-lock.js';
import { withClient } from './with-client.js';

export interface MigrateOptions {
  databaseUrl: string;
  /** The service's Postgres schema: created if missing, holds its tables and its `_prisma_migrations`. */
  schema: string;
  /** A Prisma Migrate folder: `<migrationsDir>/<timestamp>_<name>/migration.sql`. */
  migrationsDir: string;
  logger?: Logger;
}

export interface MigrateResult {
  /** Names of the migrations this run applied, in order. */
  applied: string[];
}

/**
 * Applies a service's pending migrations, recording them in `<schema>._prisma_migrations`
 * exactly as `prisma migrate deploy` would. Safe to run from several processes at once.
 * Throws a MigrationError.
 */
export async function migrate({
  databaseUrl,
  schema,
  migrationsDir,
  logger = createLogger({ name: 'db' }),
}: MigrateOptions): Promise<MigrateResult> {
  const local = await readMigrations(migrationsDir);
  return withClient(databaseUrl, (client) =>
    withAdvisoryLock(client, prismaMigrateLockKey, async () => {
      await ensureMigrationsTable(client, schema);
      const { pending, unknown } = planMigrations(local, await readMigrationRows(client, schema));
      if (unknown.length > 0)
        logger.warn({ schema, migrations: unknown }, 'applied migrations missing locally');
      const applied: string[] = [];
      for (const migration of pending) {
        await applyMigration(client, schema, migration);
        applied.push(migration.name);
        logger.info({ schema, migration: migration.name }, 'applied migration');
      }
      return { applied };
    }),
  );
}
