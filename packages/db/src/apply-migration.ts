import type pg from 'pg';
import { MigrationError } from './migration-error.js';
import { insertFinishedMigration } from './prisma-migrations-table.js';
import { quoteIdentifier } from './quote-identifier.js';
import type { LocalMigration } from './read-migrations.js';

/**
 * Runs one migration and records it in one transaction, so a failure leaves neither a
 * partial schema nor a row behind (unlike Prisma, which records the failure as P3009).
 */
export async function applyMigration(
  client: pg.ClientBase,
  schema: string,
  migration: LocalMigration,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
    await client.query(migration.sql);
    await insertFinishedMigration(client, schema, migration);
    await client.query('COMMIT');
  } catch (error) {
    // A broken connection has rolled back already; keep the migration's own error.
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError('MIGRATION_SQL_FAILED', migration.name, { cause: error });
  }
}
