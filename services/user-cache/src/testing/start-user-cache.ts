import { type Cache, createCache, readCacheEnv } from '@mesh/cache';
import type { TestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { type ServiceHarness, startServiceHarness, testEnv } from '@mesh/testing';
import { readEnv, SERVICE_NAME } from '../env.js';
import { migrations } from '../migrations.js';
import type { UserCacheRouter } from '../router.js';
import { buildUserCacheService } from '../server.js';

export interface UserCacheHarness extends ServiceHarness<UserCacheRouter> {
  /** The SDK client, as another service would call it. */
  client: ServiceHarness<UserCacheRouter>['sdk']['client'];
  /** The service's cache as seen from outside (same Redis and key prefix), to look and to clean up. */
  cache: Cache;
}

/**
 * user-cache on a fresh database and its own key prefix; disposing it closes the service,
 * removes every key it left in Redis and drops the database (unless it was given one).
 */
export async function startUserCache(
  options: { env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<UserCacheHarness> {
  const harness = await startServiceHarness({
    service: 'user-cache',
    migrations,
    readEnv,
    build: buildUserCacheService,
    env: options.env,
    database: options.database,
  });
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
    client: harness.sdk.client,
    cache,
    async [Symbol.asyncDispose]() {
      await harness[Symbol.asyncDispose]();
      await cache.clear().catch(() => 0);
      await cache.close();
    },
  };
}
