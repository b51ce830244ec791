import pg from 'pg';

/** Rows in a table, read straight from Postgres: the proof that a refused call wrote nothing. */
export async function countRows(databaseUrl: string, table: `${string}.${string}`): Promise<number> {
  const [schema, name] = table.split('.') as [string, string];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const quoted = `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;
    const { rows } = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${quoted}`);
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}
