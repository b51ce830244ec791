import pg from 'pg';

export interface RunSqlOptions {
  databaseUrl: string;
  /** Put first on the search_path, so a service's own unqualified SQL runs as it does there. */
  schema?: string;
}

/**
 * One SQL statement on a fresh connection of its own: outside every service's pool, so
 * it is never counted in a query budget. For a test's setup and its checks.
 */
export async function runSql<TRow extends pg.QueryResultRow = Record<string, unknown>>(
  { databaseUrl, schema }: RunSqlOptions,
  text: string,
  values?: unknown[],
): Promise<TRow[]> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    ...(schema && { options: `-c search_path=${schema}` }),
  });
  await client.connect();
  try {
    return (await client.query<TRow>(text, values)).rows;
  } finally {
    await client.end();
  }
}
