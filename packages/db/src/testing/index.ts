export {
  type AssertSchemaOptions,
  assertSchemaMatchesDatabase,
} from './assert-schema-matches-database.js';
export {
  type CreateTestDatabaseOptions,
  createTestDatabase,
  type TestDatabase,
} from './create-test-database.js';
export { expectQueryBudget } from './expect-query-budget.js';
export { type SchemaMismatch, SchemaMismatchError } from './schema-mismatch-error.js';
export type { MigrationSet } from './template-name.js';
