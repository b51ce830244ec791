import { createServiceClient, type ServiceClient } from '@mesh/client';
import type { TestDatabase } from '@mesh/db/testing';
import { runSql, startTestService, type TestService, testEnv } from '@mesh/testing';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { BotControlRouter } from '../router.js';
import { type BuildOptions, buildBotControlService } from '../server.js';

export interface BotControlHarness extends AsyncDisposable {
  harness: TestService<BotControlRouter>;
  service: TestService<BotControlRouter>['service'];
  sdk: ServiceClient<BotControlRouter>;
  caller: ReturnType<TestService<BotControlRouter>['service']['createCaller']>;
  database: TestDatabase;
  /** One SQL statement on a fresh connection (uncounted), schema `bots` first. */
  sql<TRow extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<TRow[]>;
}

/** A real bot-control on its own migrated database (or a shared one: a second replica), with an SDK client. */
export async function startBotControl(
  options: { env?: Record<string, string | undefined>; database?: TestDatabase; build?: BuildOptions } = {},
): Promise<BotControlHarness> {
  const harness = await startTestService({
    migrations: [migrations],
    readEnv,
    build: (env) => buildBotControlService(env, options.build),
    env: options.env,
    database: options.database,
  });
  const sdk = createServiceClient<BotControlRouter>({ url: harness.url, token: harness.token, retries: 0 });
  return {
    harness,
    service: harness.service,
    sdk,
    caller: harness.service.createCaller(),
    database: harness.database,
    sql: <TRow extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      runSql<TRow>({ databaseUrl: harness.database.url, schema: 'bots' }, text, values),
    async [Symbol.asyncDispose]() {
      await sdk.close();
      await harness[Symbol.asyncDispose]();
      // The job queue's keys live under the test database's prefix; its owner removes them.
      if (!options.database) await unlinkPrefix(`${harness.database.name}:`);
    },
  };
}

/** Removes every Redis key starting with `prefix` (SCAN + UNLINK). */
export async function unlinkPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testEnv.REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
