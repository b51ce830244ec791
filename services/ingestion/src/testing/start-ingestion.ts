import type { TestDatabase } from '@mesh/db/testing';
import { type ServiceHarness, startServiceHarness } from '@mesh/testing';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { IngestionRouter } from '../router.js';
import { buildIngestionService } from '../server.js';
import type { MessageSource } from '../sources/message-source.js';

export type IngestionHarness = ServiceHarness<IngestionRouter>;

export interface StartIngestionOptions {
  source?: MessageSource;
  env?: Record<string, string | undefined>;
  /** Share another harness' database: a second replica. */
  database?: TestDatabase;
}

/** A real ingestion service on its own migrated database (or a shared one), with an SDK client. */
export function startIngestion(options: StartIngestionOptions = {}): Promise<IngestionHarness> {
  return startServiceHarness({
    service: 'ingestion',
    migrations,
    readEnv,
    build: (env) => buildIngestionService(env, { source: options.source }),
    env: options.env,
    database: options.database,
  });
}

/** `n` channels with ids -1001000000001... and usernames chan_1... */
export function testChannels(n: number, from = 1) {
  return Array.from({ length: n }, (_, index) => ({
    id: -1_001_000_000_000n - BigInt(from + index),
    username: `chan_${from + index}`,
    title: `Channel ${from + index}`,
  }));
}

/** Rows per channel in ingestion.messages, as a plain object keyed by channel id. */
export async function messageCounts(harness: IngestionHarness): Promise<Record<string, number>> {
  const rows = await harness.sql<{ channel_id: string; count: string }>(
    'SELECT channel_id::text, count(*)::text AS count FROM ingestion.messages GROUP BY channel_id',
  );
  return Object.fromEntries(rows.map((row) => [row.channel_id, Number(row.count)]));
}

/** Advisory locks held in the test database by anyone. */
export async function advisoryLocks(harness: IngestionHarness): Promise<number> {
  const [row] = await harness.sql<{ count: string }>(
    "SELECT count(*)::text AS count FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
  );
  return Number(row?.count ?? 0);
}
