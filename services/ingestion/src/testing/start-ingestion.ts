import { createServiceClient, type ServiceClient } from '@mesh/client';
import type { TestDatabase } from '@mesh/db/testing';
import { runSql, startTestService, type TestService } from '@mesh/testing';
import type pg from 'pg';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { IngestionRouter } from '../router.js';
import { buildIngestionService } from '../server.js';
import type { MessageSource } from '../sources/message-source.js';

export interface IngestionHarness extends AsyncDisposable {
  service: TestService<IngestionRouter>['service'];
  harness: TestService<IngestionRouter>;
  sdk: ServiceClient<IngestionRouter>;
  caller: ReturnType<TestService<IngestionRouter>['service']['createCaller']>;
  database: TestDatabase;
  /** One SQL statement against the test database on a fresh connection (uncounted), schema `ingestion` first. */
  sql<TRow extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<TRow[]>;
}

export interface StartIngestionOptions {
  source?: MessageSource;
  env?: Record<string, string | undefined>;
  /** Share another harness' database: a second replica. */
  database?: TestDatabase;
}

/** A real ingestion service on its own migrated database (or a shared one), with an SDK client. */
export async function startIngestion(options: StartIngestionOptions = {}): Promise<IngestionHarness> {
  const harness = await startTestService({
    migrations: [migrations],
    readEnv,
    build: (env) => buildIngestionService(env, { source: options.source }),
    env: options.env,
    database: options.database,
  });
  const sdk = createServiceClient<IngestionRouter>({ url: harness.url, token: harness.token, retries: 0 });
  return {
    service: harness.service,
    harness,
    sdk,
    caller: harness.service.createCaller(),
    database: harness.database,
    sql: <TRow extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      runSql<TRow>({ databaseUrl: harness.database.url, schema: 'ingestion' }, text, values),
    async [Symbol.asyncDispose]() {
      await sdk.close();
      await harness[Symbol.asyncDispose]();
    },
  };
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
