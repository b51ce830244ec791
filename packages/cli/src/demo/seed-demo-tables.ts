import pg from 'pg';
import { type DemoDataPart, demoDataSql, demoDataTables } from './demo-data-sql.js';

export interface SeedDemoTablesOptions {
  /** The mesh's database: every service's schema is in it. */
  databaseUrl: string;
  /** The data set's "now": trades span the 90 days before it. */
  now?: Date;
}

export interface SeedDemoTablesReport {
  /** `seeded` when written now, `present` when its table already had rows (nothing written). */
  parts: Record<DemoDataPart, 'seeded' | 'present'>;
  ms: number;
}

/**
 * Writes the demo data set straight into the services' own tables, each part (users and
 * wallets, trades, bots with their commands, events, escrows and invitations) in one
 * transaction of a few `INSERT ... SELECT FROM generate_series` statements, and only into an
 * empty table: a second start finds the rows and writes nothing. An advisory lock per part
 * keeps two starts at once from both writing it. The parts are written concurrently.
 */
export async function seedDemoTables({
  databaseUrl,
  now = new Date(),
}: SeedDemoTablesOptions): Promise<SeedDemoTablesReport> {
  const started = performance.now();
  // One connection per part, all at once: the small parts run while the trades are written.
  const parts = Object.fromEntries(
    await Promise.all(
      (Object.keys(demoDataSql) as DemoDataPart[]).map(async (part) => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          return [part, await seedPart(client, part, now)] as const;
        } finally {
          await client.end();
        }
      }),
    ),
  ) as SeedDemoTablesReport['parts'];
  return { parts, ms: Math.round(performance.now() - started) };
}

async function seedPart(client: pg.Client, part: DemoDataPart, now: Date): Promise<'seeded' | 'present'> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mesh-demo-data:${part}`]);
    // Demo rows are not worth a flush per commit; a crash mid-way leaves the table empty and
    // the next start writes the part again.
    await client.query('SET LOCAL synchronous_commit = off');
    const { rows } = await client.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${demoDataTables[part][0]}) AS present`,
    );
    if (rows[0]?.present) {
      await client.query('ROLLBACK');
      return 'present';
    }
    for (const statement of demoDataSql[part]) {
      await client.query(statement, statement.includes('$1') ? [now] : []);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // Fresh statistics, so the dashboard's first queries are planned for 100k rows, not for none.
  await client.query(`ANALYZE ${demoDataTables[part].join(', ')}`);
  return 'seeded';
}
