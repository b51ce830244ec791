import { randomBytes } from 'node:crypto';
import { databaseUrlWithName } from '../database-url-with-name.js';
import { readDbEnv } from '../env.js';
import { quoteIdentifier } from '../quote-identifier.js';
import { withClient } from '../with-client.js';
import { ensureTemplateDatabase } from './ensure-template-database.js';
import { retryWhileInUse } from './retry-while-in-use.js';
import type { MigrationSet } from './template-name.js';

export interface CreateTestDatabaseOptions {
  /** Every schema the tests need, each with its Prisma Migrate folder; `[]` for an empty database. */
  migrations: MigrationSet[];
  /** A URL whose user may create databases; defaults to DATABASE_URL. */
  adminUrl?: string;
}

export interface TestDatabase extends AsyncDisposable {
  url: string;
  name: string;
  /** Drops the database, closing any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A new database of its own for one test file, copied from a migrated template (built
 * once per distinct set of migrations), so files run in parallel without sharing rows.
 */
export async function createTestDatabase({
  migrations,
  adminUrl = readDbEnv().DATABASE_URL,
}: CreateTestDatabaseOptions): Promise<TestDatabase> {
  const name = `mesh_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, async (admin) => {
    const template = await ensureTemplateDatabase(admin, adminUrl, migrations);
    await retryWhileInUse(() =>
      admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
    );
  });
  const drop = async () => {
    await withClient(adminUrl, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
    );
  };
  return { url: databaseUrlWithName(adminUrl, name), name, drop, [Symbol.asyncDispose]: drop };
}
