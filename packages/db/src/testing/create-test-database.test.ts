import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readDbEnv } from '../env.js';
import { withClient } from '../with-client.js';
import { createTestDatabase } from './create-test-database.js';
import { widgetsMigrations } from './fixtures/widgets.js';

const adminUrl = readDbEnv().DATABASE_URL;

function databaseExists(name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  });
}

function countRows(url: string, sql: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`);
    return rows[0]?.n ?? -1;
  });
}

describe('createTestDatabase', () => {
  it('gives two calls two different databases, both migrated and empty', async () => {
    await using first = await createTestDatabase({ migrations: [widgetsMigrations] });
    await using second = await createTestDatabase({ migrations: [widgetsMigrations] });

    expect(first.name).not.toBe(second.name);
    expect(first.url).not.toBe(second.url);
    for (const db of [first, second]) {
      expect(await countRows(db.url, 'widgets._prisma_migrations WHERE finished_at IS NOT NULL')).toBe(1);
      expect(await countRows(db.url, 'widgets.workshops')).toBe(0);
    }
    await withClient(first.url, (client) =>
      client.query(`INSERT INTO widgets.workshops (name) VALUES ('only here')`),
    );
    expect(await countRows(first.url, 'widgets.workshops')).toBe(1);
    expect(await countRows(second.url, 'widgets.workshops')).toBe(0);
  });

  it('drop removes the database even while a connection is open, and may be called again', async () => {
    const db = await createTestDatabase({ migrations: [widgetsMigrations] });
    const open = new pg.Client({ connectionString: db.url });
    open.on('error', () => undefined);
    await open.connect();

    await db.drop();

    expect(await databaseExists(db.name)).toBe(false);
    await db.drop();
    await open.end().catch(() => undefined);
  });

  it('drops the database when disposed', async () => {
    let name = '';
    {
      await using db = await createTestDatabase({ migrations: [] });
      name = db.name;
      expect(await databaseExists(name)).toBe(true);
    }
    expect(await databaseExists(name)).toBe(false);
  });

  it('serves parallel callers from one template without racing', async () => {
    const dbs = await Promise.all(
      Array.from({ length: 4 }, () => createTestDatabase({ migrations: [widgetsMigrations] })),
    );
    try {
      expect(new Set(dbs.map((db) => db.name)).size).toBe(4);
    } finally {
      await Promise.all(dbs.map((db) => db.drop()));
    }
  });
});
