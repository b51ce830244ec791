import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { quoteIdentifier } from './quote-identifier.js';
import type { LocalMigration } from './read-migrations.js';

export interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

function table(schema: string): string {
  return `${quoteIdentifier(schema)}."_prisma_migrations"`;
}

/** Creates `<schema>._prisma_migrations` with Prisma Migrate's own DDL, if it is missing. */
export async function ensureMigrationsTable(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${table(schema)} (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
}

export async function readMigrationRows(client: pg.ClientBase, schema: string): Promise<MigrationRow[]> {
  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${table(schema)} ORDER BY started_at`,
  );
  return rows;
}

/** Records a migration as Prisma Migrate records a successful one (inside the migration's transaction). */
export async function insertFinishedMigration(
  client: pg.ClientBase,
  schema: string,
  migration: LocalMigration,
): Promise<void> {
  await client.query(
    `INSERT INTO ${table(schema)} (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
    [randomUUID(), migration.checksum, migration.name],
  );
}
