/** The same postgres URL pointing at another database (host, credentials and query kept). */
export function databaseUrlWithName(url: string, dbName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(dbName)}`;
  return parsed.toString();
}
