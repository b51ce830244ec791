import { checksumMatches } from './migration-checksum.js';
import { MigrationError } from './migration-error.js';
import type { MigrationRow } from './prisma-migrations-table.js';
import type { LocalMigration } from './read-migrations.js';

export interface MigrationPlan {
  pending: LocalMigration[];
  /** Applied in the database but absent from the folder (another branch, a deleted file). */
  unknown: string[];
}

/**
 * Decides what to apply, as Prisma Migrate does: rows marked rolled back do not count,
 * an unfinished row blocks everything (P3009), and an applied migration must still match
 * its recorded checksum.
 */
export function planMigrations(local: LocalMigration[], rows: MigrationRow[]): MigrationPlan {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) throw new MigrationError('MIGRATION_FAILED_PREVIOUSLY', failed.migration_name);
  const applied = new Map(live.map((row) => [row.migration_name, row.checksum]));
  for (const migration of local) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && !checksumMatches(migration.sql, checksum)) {
      throw new MigrationError('MIGRATION_CHECKSUM_MISMATCH', migration.name);
    }
  }
  const localNames = new Set(local.map((migration) => migration.name));
  return {
    pending: local.filter((migration) => !applied.has(migration.name)),
    unknown: [...applied.keys()].filter((name) => !localNames.has(name)),
  };
}
