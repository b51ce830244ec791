import { createCache } from '@mesh/cache';
import { UserCacheService } from '@mesh/contracts';
import { createDatabase } from '@mesh/db';
import { withGrpcFace } from '@mesh/grpc';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { DB_SCHEMA, SERVICE_NAME, type UserCacheEnv } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { createPairStore } from './pairs/pair-store.js';
import { createReadLimit } from './read-limit.js';
import { createUserCacheRouter, type UserCacheRouter } from './router.js';
import { createUserStore } from './users/user-store.js';

/** Builds the user-cache service (not yet listening) from its settings. */
export async function buildUserCacheService(env: UserCacheEnv): Promise<MeshService<UserCacheRouter>> {
  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: env.db, logger });
  const l1 = env.USER_CACHE_L1_ENTRIES > 0;
  const cache = await createCache({
    service: SERVICE_NAME,
    env: env.cache,
    logger,
    l1: l1 ? { maxEntries: env.USER_CACHE_L1_ENTRIES } : undefined,
  });
  const users = createUserStore(db.prisma, cache, {
    ttlSeconds: env.USER_CACHE_TTL_S,
    negativeTtlSeconds: env.USER_CACHE_NEGATIVE_TTL_S,
    l1,
  });
  const service = await createService({
    name: SERVICE_NAME,
    router: createUserCacheRouter({
      prisma: db.prisma,
      users,
      pairs: createPairStore(cache, env.CHAT_PAIR_TTL_S),
      readLimit: createReadLimit(cache, {
        limit: env.USER_READ_RATE_LIMIT,
        windowSeconds: env.USER_READ_RATE_WINDOW_S,
      }),
    }),
    env,
    logger,
    readiness: { postgres: db.ping, redis: cache.ping },
    onClose: [db.close, cache.close],
  });
  cache.registerMetrics(service.metrics.registry);
  return withGrpcFace(service, { services: [UserCacheService], port: env.grpcPort, env });
}
