export { type CreateDatabaseOptions, createDatabase, type Database } from './create-database.js';
export { databaseUrlWithName } from './database-url-with-name.js';
export { type DbEnv, readDbEnv } from './env.js';
export { isUniqueViolation } from './is-unique-violation.js';
export { type MigrateOptions, type MigrateResult, migrate } from './migrate.js';
export { MigrationError, type MigrationErrorCode } from './migration-error.js';
