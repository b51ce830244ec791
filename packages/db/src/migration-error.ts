const messages = {
  MIGRATIONS_DIR_NOT_FOUND: (target: string) => `Migrations directory not found: ${target}`,
  MIGRATION_FILE_MISSING: (target: string) => `Migration ${target} has no migration.sql`,
  MIGRATION_CHECKSUM_MISMATCH: (target: string) =>
    `Migration ${target} was edited after it was applied (checksum differs); add a new migration instead`,
  MIGRATION_FAILED_PREVIOUSLY: (target: string) =>
    `Migration ${target} is recorded as started but not finished (Prisma P3009); repair the database, then ` +
    `run \`prisma migrate resolve --rolled-back ${target}\` or delete its _prisma_migrations row`,
  MIGRATION_SQL_FAILED: (target: string) => `Migration ${target} failed and was rolled back`,
} satisfies Record<string, (target: string) => string>;

export type MigrationErrorCode = keyof typeof messages;

/** What the migration runner throws; `migration` names the migration (or directory) at fault. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: MigrationErrorCode;
  readonly migration: string;

  constructor(code: MigrationErrorCode, migration: string, options?: ErrorOptions) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`${messages[code](migration)}${cause}`, options);
    this.code = code;
    this.migration = migration;
  }
}
