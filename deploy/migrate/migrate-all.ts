import { repoPath, serviceEntries } from '@mesh/catalogue';
import { migrate } from '@mesh/db';
import type { Logger } from '@mesh/telemetry';

export interface ServiceMigrations {
  service: string;
  schema: string;
  migrationsDir: string;
}

/** Every service's migrations, in the catalogue's order (its schema and migrations folder). */
export const serviceMigrations: readonly ServiceMigrations[] = serviceEntries.map(({ name, database }) => ({
  service: name,
  schema: database.schema,
  migrationsDir: repoPath(database.migrationsDir),
}));

export interface MigrateAllOptions {
  databaseUrl: string;
  logger: Logger;
  services?: readonly ServiceMigrations[];
}

export interface ServiceMigrationResult {
  service: string;
  schema: string;
  applied: string[];
}

/**
 * Applies every service's pending migrations with @mesh/db's runner, one schema after
 * another. Stops at the first failure (the runner's MigrationError), so a rollout that
 * waits for this Job never starts on a half-migrated database.
 */
export async function migrateAll({
  databaseUrl,
  logger,
  services = serviceMigrations,
}: MigrateAllOptions): Promise<ServiceMigrationResult[]> {
  const results: ServiceMigrationResult[] = [];
  for (const { service, schema, migrationsDir } of services) {
    const { applied } = await migrate({ databaseUrl, schema, migrationsDir, logger });
    logger.info({ schema, applied }, `${service}: ${applied.length ? 'migrated' : 'up to date'}`);
    results.push({ service, schema, applied });
  }
  return results;
}
