import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServiceClient } from '@mesh/client';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { TEST_TOKEN, testEnv } from '@mesh/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrations } from '../migrations.js';
import type { IngestionRouter } from '../router.js';
import { createSimulatedSource } from '../sources/simulated-source.js';
import { advisoryLocks, messageCounts, startIngestion, testChannels } from '../testing/start-ingestion.js';

const mainEntry = fileURLToPath(new URL('../main.ts', import.meta.url));
const channels = testChannels(3);
const victim = channels[2] as (typeof channels)[number];
const sourceEnv = {
  INGESTION_SOURCE: 'simulated',
  INGESTION_SIMULATED_MESSAGES: '500',
  INGESTION_CHUNK_SIZE: '100',
};

let database: TestDatabase;
let admin: pg.Client;
let observer: pg.Client;
let adminPid: number;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Polls `check` every 50 ms until it holds; fails the test after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads on a connection of its own: inside the blocker's transaction, pg_stat_activity would be a frozen snapshot. */
async function scalar(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await observer.query<{ n: string }>(sql, values);
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [migrations] });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  adminPid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
  observer = new pg.Client({ connectionString: database.url });
  await observer.connect();
  await admin.query(
    'INSERT INTO ingestion.channels (id, username, title) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])',
    [channels.map((c) => String(c.id)), channels.map((c) => c.username), channels.map((c) => c.title)],
  );
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await admin?.end();
  await observer?.end();
  await database?.drop();
});

it('leaves no partial chunk and no held lock when the process is killed mid-sync, and the next sync completes', async () => {
  // Hold an uncommitted row inside the victim's third chunk: the child's INSERT of that chunk
  // waits for it, so the child is killed exactly between chunks of an open transaction.
  await admin.query('BEGIN');
  await admin.query(
    "INSERT INTO ingestion.messages (channel_id, message_id, telegram_date, source) VALUES ($1, 250, now(), 'test')",
    [String(victim.id)],
  );

  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', mainEntry], {
    env: {
      ...process.env,
      ...sourceEnv,
      DATABASE_URL: database.url,
      REDIS_URL: testEnv.REDIS_URL,
      MESH_SERVICE_TOKEN: TEST_TOKEN,
      INGESTION_PORT: String(port),
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await until(
    'the child to be ready',
    async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.ok === true,
  );

  const sdk = createServiceClient<IngestionRouter>({ url, token: TEST_TOKEN, retries: 0, timeoutMs: 60_000 });
  const sync = sdk.client.syncMessages.mutate({ limit: 500 }).then(
    () => 'answered',
    () => 'failed',
  );
  await until('the victim chunk to wait on the held row', async () => {
    const waiting = await scalar(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO messages%'",
    );
    return waiting === 1;
  });
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  expect(await sync).toBe('failed');
  await sdk.close();
  await admin.query('ROLLBACK');

  // Postgres ends the dead client's sessions: their transactions roll back, their locks go.
  await until('the child sessions to end', async () => {
    const others = await scalar(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1)',
      [adminPid],
    );
    return others === 0;
  });
  const [lockCount] = await admin
    .query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .then((result) => result.rows);
  expect(Number(lockCount?.n)).toBe(0);
  const counts = Object.fromEntries(
    (
      await admin.query<{ channel_id: string; n: string }>(
        'SELECT channel_id::text, count(*) AS n FROM ingestion.messages GROUP BY channel_id',
      )
    ).rows.map((row) => [row.channel_id, Number(row.n)]),
  );
  expect(counts[String(victim.id)]).toBeUndefined();
  // The others may have committed before the kill: whole or nothing, never a partial chunk.
  for (const channel of channels) expect([undefined, 500]).toContain(counts[String(channel.id)]);

  await using next = await startIngestion({
    source: createSimulatedSource({ messagesPerChannel: 500 }),
    database,
    env: sourceEnv,
  });
  const result = await next.caller.syncMessages({ limit: 500 });
  expect(result.status).toBe('ok');
  expect(result.channels.find((outcome) => outcome.channelId === victim.id)).toMatchObject({
    messagesSynced: 500,
    messagesSaved: 500,
    latestMessageId: 500n,
  });
  expect(Object.values(await messageCounts(next))).toEqual([500, 500, 500]);
  expect(await advisoryLocks(next)).toBe(0);
});
