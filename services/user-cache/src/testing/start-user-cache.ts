import { type Cache, createCache, readCacheEnv } from '@mesh/cache';
import { createServiceClient } from '@mesh/client';
import type { TestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { startTestService, type TestService, testEnv } from '@mesh/testing';
import { readEnv, SERVICE_NAME } from '../env.js';
import { migrations } from '../migrations.js';
import type { UserCacheRouter } from '../router.js';
import { buildUserCacheService } from '../server.js';

export interface UserCacheHarness extends TestService<UserCacheRouter> {
  /** The SDK client, as another service would call it. */
  client: ReturnType<typeof createServiceClient<UserCacheRouter>>['client'];
  /** The service's cache as seen from outside (same Redis and key prefix), to look and to clean up. */
  cache: Cache;
  caller: ReturnType<TestService<UserCacheRouter>['service']['createCaller']>;
}

/**
 * user-cache on a fresh database and its own key prefix; disposing it closes the service,
 * removes every key it left in Redis and drops the database (unless it was given one).
 */
export async function startUserCache(
  options: { env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<UserCacheHarness> {
  const harness = await startTestService({
    migrations: [migrations],
    readEnv,
    build: buildUserCacheService,
    env: options.env,
    database: options.database,
  });
  const sdk = createServiceClient<UserCacheRouter>({ url: harness.url, token: harness.token, retries: 0 });
  const cache = await createCache({
    service: SERVICE_NAME,
    env: readCacheEnv({
      REDIS_URL: testEnv.REDIS_URL,
      CACHE_KEY_PREFIX: `${harness.database.name}:`,
      ...options.env,
    }),
    logger: createLogger({ name: 'user-cache-test', level: 'silent' }),
  });
  return {
    ...harness,
    client: sdk.client,
    cache,
    caller: harness.service.createCaller(),
    async [Symbol.asyncDispose]() {
      await sdk.close();
      await harness[Symbol.asyncDispose]();
      await cache.clear().catch(() => 0);
      await cache.close();
    },
  };
}
