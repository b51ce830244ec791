import { resolve } from 'node:path';
import { CliError } from '../errors.js';
import type { ServiceSpec } from '../services.js';
import type { Output } from './output.js';

/** The shape of `migrate` from @mesh/db. */
export type Migrate = (options: {
  databaseUrl: string;
  schema: string;
  migrationsDir: string;
}) => Promise<{ applied: string[] }>;

export interface MigrateServicesOptions {
  services: readonly ServiceSpec[];
  repoRoot: string;
  databaseUrl: string;
  /** @mesh/db's runner unless given. */
  migrate?: Migrate;
  output: Output;
}

/** Applies each service's pending migrations to its own schema, one service after another. */
export async function migrateServices({
  services,
  repoRoot,
  databaseUrl,
  migrate,
  output,
}: MigrateServicesOptions): Promise<void> {
  const run = migrate ?? (await loadMigrate(output));
  for (const { name, database } of services) {
    if (!database) continue;
    const migrationsDir = resolve(repoRoot, database.migrationsDir);
    try {
      const { applied } = await run({ databaseUrl, schema: database.schema, migrationsDir });
      output.info(
        applied.length === 0
          ? `schema ${database.schema} (${name}) is up to date`
          : `schema ${database.schema} (${name}): applied ${applied.join(', ')}`,
      );
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new CliError('MIGRATION_FAILED', `migrating schema ${database.schema} (${name}) failed: ${why}`, {
        cause: error,
      });
    }
  }
}

/** @mesh/db's runner, its warnings routed into mesh's output (we print what it applied ourselves). */
async function loadMigrate(output: Output): Promise<Migrate> {
  const [{ migrate }, { createLogger }] = await Promise.all([import('@mesh/db'), import('@mesh/telemetry')]);
  const logger = createLogger({
    name: 'migrate',
    level: 'warn',
    destination: { write: (line: string) => output.line('mesh', line.trimEnd(), 'stderr') },
  });
  return (options) => migrate({ ...options, logger });
}
