import { createLogger } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from './create-database.js';
import { readDbEnv } from './env.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { PrismaClient } from './testing/fixtures/widgets/generated/client.js';
import { widgetsMigrations } from './testing/fixtures/widgets.js';

// Two databases stand in for a primary and its replica: a row written only to the "replica"
// shows which one a client really reads from.
let primaryDb: TestDatabase;
let replicaDb: TestDatabase;
const opened: Database<PrismaClient>[] = [];

beforeAll(async () => {
  [primaryDb, replicaDb] = await Promise.all([
    createTestDatabase({ migrations: [widgetsMigrations] }),
    createTestDatabase({ migrations: [widgetsMigrations] }),
  ]);
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await Promise.all([primaryDb?.drop(), replicaDb?.drop()]);
});

function openDatabase(settings: Record<string, string>) {
  const env = readDbEnv({ DATABASE_URL: primaryDb.url, ...settings });
  const logger = createLogger({ name: 'db-replica-test', level: 'silent' });
  const db = createDatabase({ PrismaClient, schema: widgetsMigrations.schema, env, logger });
  opened.push(db);
  return db;
}

async function currentDatabase(prisma: PrismaClient): Promise<string | undefined> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
  return rows[0]?.name;
}

describe('createDatabase with a read replica', () => {
  it('reads through the primary client when DATABASE_REPLICA_URL is unset', async () => {
    const db = openDatabase({});

    expect(db.replica).toBe(db.prisma);
    expect(await currentDatabase(db.replica)).toBe(primaryDb.name);
  });

  it('treats an empty DATABASE_REPLICA_URL as unset', async () => {
    const db = openDatabase({ DATABASE_REPLICA_URL: '' });

    expect(db.replica).toBe(db.prisma);
  });

  it('opens the replica client on DATABASE_REPLICA_URL and keeps writes on the primary', async () => {
    const db = openDatabase({ DATABASE_REPLICA_URL: replicaDb.url });
    const seeder = openDatabase({ DATABASE_URL: replicaDb.url });
    await seeder.prisma.workshop.create({ data: { name: 'only-on-the-replica' } });

    expect(db.replica).not.toBe(db.prisma);
    expect(await currentDatabase(db.replica)).toBe(replicaDb.name);
    expect(await currentDatabase(db.prisma)).toBe(primaryDb.name);
    expect((await db.replica.workshop.findMany()).map((row) => row.name)).toEqual(['only-on-the-replica']);
    expect(await db.prisma.workshop.findMany()).toEqual([]);
  });

  it('confines the replica client to the service schema too', async () => {
    const db = openDatabase({ DATABASE_REPLICA_URL: replicaDb.url });

    const rows = await db.replica.$queryRaw<{ schema: string }[]>`SELECT current_schema() AS schema`;

    expect(rows[0]?.schema).toBe('widgets');
  });

  it('closes the replica connections with the primary', async () => {
    const db = openDatabase({ DATABASE_REPLICA_URL: replicaDb.url });
    await currentDatabase(db.replica);

    await db.close();

    await expect(currentDatabase(db.replica)).rejects.toThrow();
    await expect(db.ping()).rejects.toThrow();
  });

  it('rejects a replica URL that is not PostgreSQL, naming the variable', () => {
    expect(() => readDbEnv({ DATABASE_REPLICA_URL: 'mysql://replica/db' })).toThrow(/DATABASE_REPLICA_URL/);
  });
});
