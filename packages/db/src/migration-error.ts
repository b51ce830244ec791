import { defineErrors, type ErrorRegistry, errorMessage, RegistryError } from '@mesh/errors';

const registry = {
  MIGRATIONS_DIR_NOT_FOUND: { code: 'NOT_FOUND', message: 'Migrations directory not found' },
  MIGRATION_FILE_MISSING: { code: 'NOT_FOUND', message: 'This migration has no migration.sql' },
  MIGRATION_CHECKSUM_MISMATCH: {
    code: 'CONFLICT',
    message:
      'This migration was edited after it was applied (checksum differs); add a new migration instead of editing it',
  },
  MIGRATION_FAILED_PREVIOUSLY: {
    code: 'PRECONDITION_FAILED',
    message:
      'This migration is recorded as started but not finished (Prisma P3009); repair the database, then run ' +
      '`prisma migrate resolve --rolled-back <name>` or delete its _prisma_migrations row',
  },
  MIGRATION_SQL_FAILED: {
    code: 'INTERNAL_SERVER_ERROR',
    message: 'This migration failed and was rolled back',
  },
} as const satisfies ErrorRegistry;

export type MigrationErrorCode = keyof typeof registry;

/** What the migration runner throws; `migration` names the migration (or directory) at fault. */
export class MigrationError extends RegistryError<MigrationErrorCode> {
  override readonly name = 'MigrationError';
  readonly migration: string;

  constructor(code: MigrationErrorCode, migration: string, options?: ErrorOptions) {
    // The failing statement's own message says what went wrong inside the migration.
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(code, registry[code], {
      message: `${errorMessage(registry[code], { detail: migration })}${cause}`,
      cause: options?.cause,
    });
    this.migration = migration;
  }
}

/** The migration runner's error registry, by code. */
export const migrationErrors = defineErrors(
  registry,
  (code, _definition, options) => new MigrationError(code, options.detail ?? '', { cause: options.cause }),
);
