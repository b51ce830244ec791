import { createRedis } from '@mesh/cache';
import { createDatabase } from '@mesh/db';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { DB_SCHEMA, SERVICE_NAME, type UserCacheEnv } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { createUserCacheRouter, type UserCacheRouter } from './router.js';

/** Builds the user-cache service (not yet listening) from its settings. */
export async function buildUserCacheService(env: UserCacheEnv): Promise<MeshService<UserCacheRouter>> {
  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: env.db, logger });
  const redis = createRedis(env.cache);
  return createService({
    name: SERVICE_NAME,
    router: createUserCacheRouter({ prisma: db.prisma }),
    env,
    logger,
    readiness: { postgres: db.ping, redis: redis ? () => redis.ping() : null },
    onClose: [db.close, async () => redis?.quit()],
  });
}
