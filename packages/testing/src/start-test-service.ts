import { createTestDatabase, type MigrationSet, type TestDatabase } from '@mesh/db/testing';
import type { MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import { testEnv } from './env.js';
import { TEST_TOKEN } from './test-token.js';

type EnvSource = Record<string, string | undefined>;

export interface StartTestServiceOptions<TEnv, TRouter extends AnyRouter> {
  /** The service's migrations (and any other service's it is tested with). */
  migrations: MigrationSet[];
  readEnv(source: EnvSource): TEnv;
  build(env: TEnv): Promise<MeshService<TRouter>>;
  /** Settings on top of the test defaults (fresh database, real Redis, silent logs). */
  env?: EnvSource;
  /** An existing test database to share, e.g. two services in one e2e test. */
  database?: TestDatabase;
}

export interface TestService<TRouter extends AnyRouter> extends AsyncDisposable {
  service: MeshService<TRouter>;
  url: string;
  database: TestDatabase;
  token: string;
}

/**
 * A real service on a free port, on its own freshly migrated database and the real Redis.
 * Disposing it closes the service, then drops the database it created.
 */
export async function startTestService<TEnv, TRouter extends AnyRouter>(
  options: StartTestServiceOptions<TEnv, TRouter>,
): Promise<TestService<TRouter>> {
  const database = options.database ?? (await createTestDatabase({ migrations: options.migrations }));
  const ownsDatabase = options.database === undefined;
  const env = options.readEnv({
    DATABASE_URL: database.url,
    REDIS_URL: testEnv.REDIS_URL,
    MESH_SERVICE_TOKEN: TEST_TOKEN,
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '4',
    // Redis keys of their own, like the database: parallel test files never share a cache entry.
    CACHE_KEY_PREFIX: `${database.name}:`,
    ...options.env,
  });
  const service = await options.build(env);
  const url = await service.listen(0);
  return {
    service,
    url,
    database,
    token: TEST_TOKEN,
    async [Symbol.asyncDispose]() {
      await service.close();
      if (ownsDatabase) await database.drop();
    },
  };
}
