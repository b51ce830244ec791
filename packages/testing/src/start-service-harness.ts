import { catalogue, type ServiceName } from '@mesh/catalogue';
import { createServiceClient, type ServiceClient } from '@mesh/client';
import type { MigrationSet, TestDatabase } from '@mesh/db/testing';
import type { MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import type pg from 'pg';
import { runSql } from './run-sql.js';
import { startTestService, type TestService } from './start-test-service.js';
import { unlinkPrefix } from './unlink-prefix.js';

type EnvSource = Record<string, string | undefined>;

export interface StartServiceHarnessOptions<TEnv, TRouter extends AnyRouter> {
  /** The service, as the catalogue names it: `sql` puts its schema first. */
  service: ServiceName;
  /** Its migrations (the `migrations` export of its migrations.ts). */
  migrations: MigrationSet;
  readEnv(source: EnvSource): TEnv;
  build(env: TEnv): Promise<MeshService<TRouter>>;
  /** Settings on top of the test defaults. */
  env?: EnvSource;
  /** Share another harness' database (and Redis prefix): a second replica. */
  database?: TestDatabase;
}

export interface ServiceHarness<TRouter extends AnyRouter> extends AsyncDisposable {
  /** The running service with its URL, token and database. */
  harness: TestService<TRouter>;
  service: MeshService<TRouter>;
  url: string;
  token: string;
  database: TestDatabase;
  /** The SDK's client for this service, as a peer would call it (no retries). */
  sdk: ServiceClient<TRouter>;
  /** An in-process caller (its queries count in `expectQueryBudget`). */
  caller: ReturnType<MeshService<TRouter>['createCaller']>;
  /** One SQL statement on a fresh connection (uncounted), the service's schema first. */
  sql<TRow extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<TRow[]>;
}

/**
 * A real service on its own migrated database (or a shared one) with an SDK client, an
 * in-process caller and SQL on its schema. Disposing it closes the client and the service;
 * the owner of the database also drops it and removes every Redis key under its prefix.
 */
export async function startServiceHarness<TEnv, TRouter extends AnyRouter>(
  options: StartServiceHarnessOptions<TEnv, TRouter>,
): Promise<ServiceHarness<TRouter>> {
  const harness = await startTestService({
    migrations: [options.migrations],
    readEnv: options.readEnv,
    build: options.build,
    env: options.env,
    database: options.database,
  });
  const { schema } = catalogue[options.service].database;
  const sdk = createServiceClient<TRouter>({ url: harness.url, token: harness.token, retries: 0 });
  return {
    harness,
    service: harness.service,
    url: harness.url,
    token: harness.token,
    database: harness.database,
    sdk,
    caller: harness.service.createCaller(),
    sql: <TRow extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      runSql<TRow>({ databaseUrl: harness.database.url, schema }, text, values),
    async [Symbol.asyncDispose]() {
      await sdk.close();
      await harness[Symbol.asyncDispose]();
      // Caches and job queues keep their keys under the test database's prefix; its owner removes them.
      if (!options.database) await unlinkPrefix(`${harness.database.name}:`);
    },
  };
}
