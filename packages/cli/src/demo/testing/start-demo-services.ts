import { buildAnalyticsService } from '@mesh/analytics';
import { readEnv as readAnalyticsEnv } from '@mesh/analytics/env';
import { migrations as analyticsMigrations } from '@mesh/analytics/migrations';
import { buildBotControlService } from '@mesh/bot-control';
import { readEnv as readBotControlEnv } from '@mesh/bot-control/env';
import { migrations as botControlMigrations } from '@mesh/bot-control/migrations';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { buildIngestionService } from '@mesh/ingestion';
import { readEnv as readIngestionEnv } from '@mesh/ingestion/env';
import { migrations as ingestionMigrations } from '@mesh/ingestion/migrations';
import type { MeshUrls } from '@mesh/sdk';
import { startTestService, TEST_TOKEN } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv as readUserCacheEnv } from '@mesh/user-cache/env';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';

/** Every service's migrations: the mesh's one database holds all four schemas. */
export const meshMigrations = [
  ingestionMigrations,
  userCacheMigrations,
  analyticsMigrations,
  botControlMigrations,
];

export interface DemoServices extends AsyncDisposable {
  database: TestDatabase;
  urls: MeshUrls;
  token: string;
}

/**
 * The four real services, in this process, on one fresh database with every schema (as
 * `mesh up` runs them), ingestion on the simulated source. Disposing closes them and drops it.
 */
export async function startDemoServices(): Promise<DemoServices> {
  const database = await createTestDatabase({ migrations: meshMigrations });
  const shared = { migrations: [], database };
  const userCache = await startTestService({
    ...shared,
    readEnv: readUserCacheEnv,
    build: buildUserCacheService,
  });
  const peers = { USER_CACHE_URL: userCache.url };
  const started: AsyncDisposable[] = [userCache];
  try {
    const analytics = await startTestService({
      ...shared,
      readEnv: readAnalyticsEnv,
      build: buildAnalyticsService,
      env: peers,
    });
    started.push(analytics);
    const botControl = await startTestService({
      ...shared,
      readEnv: readBotControlEnv,
      build: (env) => buildBotControlService(env),
      env: { ...peers, BOT_JOBS_PREFIX: `${database.name}:jobs` },
    });
    started.push(botControl);
    const ingestion = await startTestService({
      ...shared,
      readEnv: readIngestionEnv,
      build: (env) => buildIngestionService(env),
      env: { INGESTION_SOURCE: 'simulated' },
    });
    started.push(ingestion);
    return {
      database,
      token: TEST_TOKEN,
      urls: {
        ingestion: ingestion.url,
        userCache: userCache.url,
        analytics: analytics.url,
        botControl: botControl.url,
      },
      async [Symbol.asyncDispose]() {
        for (const service of started.reverse()) await service[Symbol.asyncDispose]();
        await database.drop();
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service[Symbol.asyncDispose]();
    await database.drop();
    throw error;
  }
}
