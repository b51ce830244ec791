import { join } from 'node:path';
import { freePort } from './free-port.js';
import type { Output } from './output.js';
import { redactUrl } from './redact-url.js';
import { readOrCreateSecretFile } from './secret-file.js';
import { startPostgres } from './start-postgres.js';

export interface ProvidedDatabase {
  /** For the services; may hold a password. */
  url: string;
  /** One line for the user: the URL without password, and where it comes from. */
  summary: string;
  /** Resolves if an embedded server ends by itself. */
  exited?: Promise<void>;
  stop?: () => Promise<void>;
}

export interface ProvideDatabaseOptions {
  databaseUrl: string | undefined;
  /** `.mesh`: the embedded server keeps `postgres/` and `postgres-password` here. */
  stateDir: string;
  output: Output;
}

/** DATABASE_URL when set; otherwise the embedded Postgres, on 5433 when free. */
export async function provideDatabase({
  databaseUrl,
  stateDir,
  output,
}: ProvideDatabaseOptions): Promise<ProvidedDatabase> {
  if (databaseUrl) return { url: databaseUrl, summary: `${redactUrl(databaseUrl)} (DATABASE_URL)` };
  const dataDir = join(stateDir, 'postgres');
  output.info(`DATABASE_URL is not set: starting embedded Postgres (data in ${dataDir})`);
  const server = await startPostgres({
    dataDir,
    port: await freePort({ preferred: 5433 }),
    password: await readOrCreateSecretFile(join(stateDir, 'postgres-password')),
    onLine: (line) => output.line('postgres', line),
  });
  return {
    url: server.url,
    summary: `${server.displayUrl} (embedded, data in ${dataDir})`,
    exited: server.exited,
    stop: server.stop,
  };
}
