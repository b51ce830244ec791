import { createCache } from '@mesh/cache';
import { createServiceClient } from '@mesh/client';
import { AnalyticsService } from '@mesh/contracts';
import { createDatabase } from '@mesh/db';
import { withGrpcFace } from '@mesh/grpc';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { type AnalyticsEnv, DB_SCHEMA, SERVICE_NAME } from './env.js';
import { createDashboardFeed } from './figures/dashboard-feed.js';
import { PrismaClient } from './generated/prisma/client.js';
import { type AnalyticsRouter, createAnalyticsRouter } from './router.js';

/** Builds the analytics service (not yet listening) from its settings. */
export async function buildAnalyticsService(env: AnalyticsEnv): Promise<MeshService<AnalyticsRouter>> {
  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: env.db, logger });
  const cache = await createCache({ service: SERVICE_NAME, env: env.cache, logger });
  const feed = await createDashboardFeed({ cache, debounceMs: env.ANALYTICS_DASHBOARD_DEBOUNCE_MS, logger });
  const userCache = createServiceClient<UserCacheRouter>({
    token: env.MESH_SERVICE_TOKEN,
    url: env.USER_CACHE_URL,
  });
  const service = await createService({
    name: SERVICE_NAME,
    router: createAnalyticsRouter({
      prisma: db.prisma,
      pool: db.pool,
      cache,
      userCache: userCache.client,
      chunkSize: env.ANALYTICS_CHUNK_SIZE,
      feed,
    }),
    env,
    logger,
    // Every figure still answers without Redis (from Postgres, slower): degraded, not unready.
    readiness: { postgres: db.ping, redis: cache.ping ? { check: cache.ping, required: false } : null },
    onClose: [userCache.close, feed.close, db.close, cache.close],
  });
  cache.registerMetrics(service.metrics.registry);
  return withGrpcFace(service, { services: [AnalyticsService], port: env.grpcPort, env });
}
