import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrationChecksum } from './migration-checksum.js';
import { MigrationError } from './migration-error.js';

export interface LocalMigration {
  /** The folder name, `<timestamp>_<name>`. */
  name: string;
  sql: string;
  checksum: string;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function readMigration(migrationsDir: string, name: string): Promise<LocalMigration> {
  try {
    const bytes = await readFile(join(migrationsDir, name, 'migration.sql'));
    return { name, sql: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
  } catch (error) {
    if (isMissing(error)) throw new MigrationError('MIGRATION_FILE_MISSING', name, { cause: error });
    throw error;
  }
}

/** The migrations of a Prisma Migrate folder (`<dir>/<timestamp>_<name>/migration.sql`), in name order. */
export async function readMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: unknown) => {
    if (isMissing(error))
      throw new MigrationError('MIGRATIONS_DIR_NOT_FOUND', migrationsDir, { cause: error });
    throw error;
  });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(names.map((name) => readMigration(migrationsDir, name)));
}
