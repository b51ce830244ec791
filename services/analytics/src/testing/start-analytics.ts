import { createCache, readCacheEnv } from '@mesh/cache';
import { createServiceClient, type ServiceClient } from '@mesh/client';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { startTestService, type TestService, testEnv } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv as readUserCacheEnv } from '@mesh/user-cache/env';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { AnalyticsRouter } from '../router.js';
import { buildAnalyticsService } from '../server.js';

/** Typed clients of analytics and user-cache, as a caller of the mesh holds them. */
export interface HarnessClients {
  analytics: ServiceClient<AnalyticsRouter>['client'];
  userCache: ServiceClient<UserCacheRouter>['client'];
}

export interface AnalyticsHarness extends AsyncDisposable {
  database: TestDatabase;
  userCache: TestService<UserCacheRouter>;
  /** `replicas` analytics instances on one database and one cache (as replicas behind a Service). */
  replicas: Array<TestService<AnalyticsRouter>>;
  /** Clients of the first replica and user-cache. */
  mesh: HarnessClients;
  /** Clients of replica `index` and user-cache. */
  meshOf(index: number): HarnessClients;
  /** An in-process caller of replica `index` (its query counts reach `expectQueryBudget`). */
  caller(index?: number): ReturnType<TestService<AnalyticsRouter>['service']['createCaller']>;
}

/**
 * user-cache and analytics replicas on one fresh database (both services' migrations) and one
 * Redis key prefix. Disposing it closes them, removes their keys and drops the database.
 */
export async function startAnalytics(
  options: { replicas?: number; env?: Record<string, string> } = {},
): Promise<AnalyticsHarness> {
  const database = await createTestDatabase({ migrations: [userCacheMigrations, migrations] });
  const shared = { migrations: [], database };
  const userCache = await startTestService({
    ...shared,
    readEnv: readUserCacheEnv,
    build: buildUserCacheService,
  });
  const replicas: Array<TestService<AnalyticsRouter>> = [];
  for (let index = 0; index < (options.replicas ?? 1); index += 1) {
    replicas.push(
      await startTestService({
        ...shared,
        readEnv,
        build: buildAnalyticsService,
        env: { USER_CACHE_URL: userCache.url, ...options.env },
      }),
    );
  }
  const clients: Array<{ close(): Promise<void> }> = [];
  const replicaAt = (index: number) => {
    const replica = replicas[index];
    if (!replica) throw new RangeError(`no replica ${index}`);
    return replica;
  };
  const meshOf = (index: number) => {
    const replica = replicaAt(index);
    const options = { token: replica.token, retries: 0, transport: 'http' } as const;
    const analytics = createServiceClient<AnalyticsRouter>({ ...options, url: replica.url });
    const users = createServiceClient<UserCacheRouter>({ ...options, url: userCache.url });
    clients.push(analytics, users);
    return { analytics: analytics.client, userCache: users.client };
  };
  return {
    database,
    userCache,
    replicas,
    mesh: meshOf(0),
    meshOf,
    caller: (index = 0) => replicaAt(index).service.createCaller(),
    async [Symbol.asyncDispose]() {
      await Promise.all(clients.map((client) => client.close()));
      for (const replica of replicas) await replica[Symbol.asyncDispose]();
      await userCache[Symbol.asyncDispose]();
      const logger = createLogger({ name: 'analytics-test', level: 'silent' });
      const env = readCacheEnv({ REDIS_URL: testEnv.REDIS_URL, CACHE_KEY_PREFIX: `${database.name}:` });
      for (const service of ['analytics', 'user-cache']) {
        const cache = await createCache({ service, env, logger });
        await cache.clear().catch(() => 0);
        await cache.close();
      }
      await database.drop();
    },
  };
}
