import { migrations as analytics } from '@mesh/analytics/migrations';
import { migrations as botControl } from '@mesh/bot-control/migrations';
import { migrate } from '@mesh/db';
import { migrations as ingestion } from '@mesh/ingestion/migrations';
import type { Logger } from '@mesh/telemetry';
import { migrations as userCache } from '@mesh/user-cache/migrations';

export interface ServiceMigrations {
  service: string;
  schema: string;
  migrationsDir: string;
}

/** Every service's migrations, each from the service's own `migrations` export. */
export const serviceMigrations: readonly ServiceMigrations[] = [
  { service: 'ingestion', ...ingestion },
  { service: 'user-cache', ...userCache },
  { service: 'analytics', ...analytics },
  { service: 'bot-control', ...botControl },
];

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
