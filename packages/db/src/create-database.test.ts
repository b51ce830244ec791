import { createLogger, withRequestStats } from '@mesh/telemetry';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, type Database } from './create-database.js';
import { readDbEnv } from './env.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { PrismaClient } from './testing/fixtures/widgets/generated/client.js';
import { widgetsMigrations } from './testing/fixtures/widgets.js';

let testDb: TestDatabase;
const opened: Database<PrismaClient>[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase({ migrations: [widgetsMigrations] });
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await testDb.drop();
});

function openDatabase(
  settings: Record<string, string> = {},
  logger = createLogger({ name: 'db-test', level: 'silent' }),
) {
  const env = readDbEnv({ DATABASE_URL: testDb.url, ...settings });
  const db = createDatabase({ PrismaClient, schema: widgetsMigrations.schema, env, logger });
  opened.push(db);
  return db;
}

describe('createDatabase', () => {
  it('counts the queries Prisma sends, from a pool that has not connected yet', async () => {
    const { prisma } = openDatabase();

    // A PrismaPromise is lazy: awaiting it inside the scope is what sends the query there.
    const { result, stats } = await withRequestStats(async () => await prisma.workshop.findMany());

    expect(result).toEqual([]);
    expect(stats.dbQueries).toBe(1);
    expect(stats.dbMs).toBeGreaterThan(0);
  });

  it('counts every statement of a Prisma transaction and of $queryRaw', async () => {
    const { prisma } = openDatabase();

    const { stats } = await withRequestStats(async () => {
      await prisma.$transaction([
        prisma.workshop.create({ data: { name: 'north' } }),
        prisma.workshop.count(),
      ]);
      await prisma.$queryRaw`SELECT count(*) FROM workshops`;
    });

    // BEGIN, INSERT, SELECT count, COMMIT, then the raw query.
    expect(stats.dbQueries).toBe(5);
  });

  it('counts raw pool queries in promise and callback form', async () => {
    const { pool } = openDatabase();

    const { stats } = await withRequestStats(async () => {
      await pool.query('SELECT 1');
      await pool.query('SELECT $1::int AS n', [2]);
      await new Promise<void>((resolve, reject) => {
        void pool.query('SELECT 3', (error) => (error ? reject(error) : resolve()));
      });
      const client = await pool.connect();
      await new Promise<void>((resolve, reject) => {
        client.query('SELECT 4', [], (error) => (error ? reject(error) : resolve()));
      });
      client.release();
    });

    expect(stats.dbQueries).toBe(4);
  });

  it('counts each query in the scope that sent it when requests wait for one connection', async () => {
    const { prisma } = openDatabase({ DB_POOL_MAX: '1' });
    const request = () =>
      withRequestStats(async () => {
        await prisma.workshop.findMany();
        await prisma.$queryRaw`SELECT 1 FROM pg_sleep(0.01)`;
        await prisma.workshop.count();
      });

    const results = await Promise.all([request(), request(), request()]);

    expect(results.map(({ stats }) => stats.dbQueries)).toEqual([3, 3, 3]);
  });

  it('passes a submittable query through and still runs it', async () => {
    const { pool } = openDatabase();
    const client = await pool.connect();
    try {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const query = client.query(new pg.Query('SELECT 7 AS n'));
        const received: unknown[] = [];
        query.on('row', (row: unknown) => received.push(row));
        query.on('end', () => resolve(received));
        query.on('error', reject);
      });
      expect(rows).toEqual([{ n: 7 }]);
    } finally {
      client.release();
    }
  });

  it('warns about a slow query with its SQL text cut to 200 characters and never its parameters', async () => {
    const logger = createLogger({ name: 'db-test', level: 'silent' });
    const warn = vi.spyOn(logger, 'warn');
    const { pool } = openDatabase({ DB_SLOW_QUERY_MS: '20' }, logger);
    const sql = `SELECT pg_sleep(0.05), $1::text /* ${'x'.repeat(300)} */`;

    await pool.query(sql, ['secret-token-value']);

    const slow = warn.mock.calls.map(([fields]) => fields as unknown as Record<string, unknown>);
    expect(slow).toContainEqual({ ms: expect.any(Number), sql: sql.slice(0, 200) });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('secret-token-value');
  });

  it('puts the service schema on the search_path of every connection', async () => {
    const { pool } = openDatabase();

    const { rows } = await pool.query<{ schema: string }>('SELECT current_schema() AS schema');

    expect(rows[0]?.schema).toBe('widgets');
  });

  it('pings the database, and closes once however often close is called', async () => {
    const db = openDatabase();
    await db.ping();

    await Promise.all([db.close(), db.close()]);

    expect(db.pool.ended).toBe(true);
    await expect(db.ping()).rejects.toThrow();
  });
});
