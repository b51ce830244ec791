import { runSql } from './run-sql.js';

/** Rows in a table, read straight from Postgres: the proof that a refused call wrote nothing. */
export async function countRows(databaseUrl: string, table: `${string}.${string}`): Promise<number> {
  const [schema, name] = table.split('.') as [string, string];
  const quoted = `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;
  const [row] = await runSql<{ count: string }>({ databaseUrl }, `SELECT count(*) AS count FROM ${quoted}`);
  return Number(row?.count ?? 0);
}
