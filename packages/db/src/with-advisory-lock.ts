import type pg from 'pg';

/** Prisma Migrate's own advisory lock key, so our runner and `prisma migrate deploy` exclude each other. */
export const prismaMigrateLockKey = 72707369;

/**
 * Runs `fn` holding a session-level advisory lock on `client`, waiting for it as long as
 * another session holds it.
 */
export async function withAdvisoryLock<T>(
  client: pg.ClientBase,
  key: number,
  fn: () => Promise<T>,
): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [key]);
  try {
    return await fn();
  } finally {
    // A broken connection has released its session locks with it.
    await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
  }
}
