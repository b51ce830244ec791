import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@mesh/telemetry';
import { describe, expect, it, onTestFinished } from 'vitest';
import { migrate } from './migrate.js';
import { MigrationError } from './migration-error.js';
import { createTestDatabase } from './testing/create-test-database.js';
import { withClient } from './with-client.js';

const logger = createLogger({ name: 'db-test', level: 'silent' });
const schema = 'shop';

const migrations = {
  '20250101000000_products': 'CREATE TABLE "products" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL);\n',
  '20250102000000_prices': 'ALTER TABLE "products" ADD COLUMN "price" NUMERIC NOT NULL DEFAULT 0;\n',
  '20250103000000_orders':
    'CREATE TABLE "orders" ("id" SERIAL PRIMARY KEY, "product_id" INTEGER NOT NULL REFERENCES "products"("id"));\n',
};

/** A Prisma Migrate folder in a temp dir, removed after the test. */
async function writeMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-migrations-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  logs: string | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

function migrationRows(url: string): Promise<Row[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<Row>(
      `SELECT * FROM "${schema}"._prisma_migrations ORDER BY finished_at, migration_name`,
    );
    return rows;
  });
}

function tablesIn(url: string, tableSchema: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [tableSchema],
    );
    return rows.map((row) => row.table_name);
  });
}

async function migrationError(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

describe('migrate', () => {
  it('applies migrations in name order inside the schema and records them as Prisma does', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    // Written newest first, so directory order cannot pass for name order.
    const migrationsDir = await writeMigrations(Object.fromEntries(Object.entries(migrations).reverse()));

    const { applied } = await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });

    expect(applied).toEqual(Object.keys(migrations));
    expect(await tablesIn(db.url, schema)).toEqual(['_prisma_migrations', 'orders', 'products']);
    expect(await tablesIn(db.url, 'public')).toEqual([]);
    const rows = await migrationRows(db.url);
    expect(rows.map((row) => row.migration_name)).toEqual(Object.keys(migrations));
    for (const row of rows) {
      const sql = migrations[row.migration_name as keyof typeof migrations];
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
    }
  });

  it('applies nothing on a second run', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const migrationsDir = await writeMigrations(migrations);
    await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });

    const second = await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });

    expect(second.applied).toEqual([]);
    expect(await migrationRows(db.url)).toHaveLength(3);
  });

  it('applies only the migrations added since the last run', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const [first, ...rest] = Object.entries(migrations);
    const migrationsDir = await writeMigrations(Object.fromEntries(first ? [first] : []));
    await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });
    for (const [name, sql] of rest) {
      await mkdir(join(migrationsDir, name));
      await writeFile(join(migrationsDir, name, 'migration.sql'), sql);
    }

    const { applied } = await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });

    expect(applied).toEqual(rest.map(([name]) => name));
  });

  it('applies each migration exactly once when two runs start at the same time', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const migrationsDir = await writeMigrations(migrations);

    const runs = await Promise.all([
      migrate({ databaseUrl: db.url, schema, migrationsDir, logger }),
      migrate({ databaseUrl: db.url, schema, migrationsDir, logger }),
    ]);

    expect(runs.flatMap((run) => run.applied).sort()).toEqual(Object.keys(migrations));
    expect(await migrationRows(db.url)).toHaveLength(3);
  });

  it('refuses an applied migration whose file was edited (MIGRATION_CHECKSUM_MISMATCH)', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const migrationsDir = await writeMigrations(migrations);
    await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });
    const edited = '20250102000000_prices';
    await writeFile(join(migrationsDir, edited, 'migration.sql'), `${migrations[edited]}-- edited\n`);

    const error = await migrationError(migrate({ databaseUrl: db.url, schema, migrationsDir, logger }));

    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.migration).toBe(edited);
  });

  it('rolls a failing migration back entirely, records nothing and throws MIGRATION_SQL_FAILED', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const broken = '20250104000000_broken';
    const migrationsDir = await writeMigrations({
      ...migrations,
      [broken]: 'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT 1 / 0;\n',
    });

    const error = await migrationError(migrate({ databaseUrl: db.url, schema, migrationsDir, logger }));

    expect(error.code).toBe('MIGRATION_SQL_FAILED');
    expect(error.migration).toBe(broken);
    expect(await tablesIn(db.url, schema)).not.toContain('half_done');
    expect((await migrationRows(db.url)).map((row) => row.migration_name)).toEqual(Object.keys(migrations));
  });

  it('applies a fixed migration after a failed attempt', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const broken = '20250104000000_tags';
    const migrationsDir = await writeMigrations({ ...migrations, [broken]: 'CREATE TABLE "tags" (oops);\n' });
    await migrationError(migrate({ databaseUrl: db.url, schema, migrationsDir, logger }));
    await writeFile(join(migrationsDir, broken, 'migration.sql'), 'CREATE TABLE "tags" ("id" INTEGER);\n');

    const { applied } = await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });

    expect(applied).toEqual([broken]);
  });

  it('refuses to run past a migration recorded as started but unfinished (MIGRATION_FAILED_PREVIOUSLY)', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const migrationsDir = await writeMigrations(migrations);
    await migrate({ databaseUrl: db.url, schema, migrationsDir, logger });
    await withClient(db.url, (client) =>
      client.query(
        `INSERT INTO "${schema}"._prisma_migrations (id, checksum, migration_name, logs)
         VALUES (gen_random_uuid(), 'x', '20250105000000_failed', 'failed in prisma migrate deploy')`,
      ),
    );

    const error = await migrationError(migrate({ databaseUrl: db.url, schema, migrationsDir, logger }));

    expect(error.code).toBe('MIGRATION_FAILED_PREVIOUSLY');
    expect(error.migration).toBe('20250105000000_failed');
  });

  it('keeps each schema and its history apart in one database', async () => {
    await using db = await createTestDatabase({ migrations: [] });
    const migrationsDir = await writeMigrations(migrations);

    await migrate({ databaseUrl: db.url, schema: 'shop', migrationsDir, logger });
    const other = await migrate({ databaseUrl: db.url, schema: 'warehouse', migrationsDir, logger });

    expect(other.applied).toEqual(Object.keys(migrations));
    expect(await tablesIn(db.url, 'warehouse')).toEqual(['_prisma_migrations', 'orders', 'products']);
  });

  it('names a migration folder without migration.sql (MIGRATION_FILE_MISSING)', async () => {
    const migrationsDir = await writeMigrations(migrations);
    await mkdir(join(migrationsDir, '20250109000000_empty'));

    const error = await migrationError(
      migrate({ databaseUrl: 'postgresql://unused@127.0.0.1:1/none', schema, migrationsDir, logger }),
    );

    expect(error.code).toBe('MIGRATION_FILE_MISSING');
    expect(error.migration).toBe('20250109000000_empty');
  });
});
