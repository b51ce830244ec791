import { createRedis } from '@mesh/cache';
import { createDatabase } from '@mesh/db';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { DB_SCHEMA, type IngestionEnv, SERVICE_NAME } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { createIngestionRouter, type IngestionRouter } from './router.js';

/** Builds the ingestion service (not yet listening) from its settings. */
export async function buildIngestionService(env: IngestionEnv): Promise<MeshService<IngestionRouter>> {
  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: env.db, logger });
  const redis = createRedis(env.cache);
  return createService({
    name: SERVICE_NAME,
    router: createIngestionRouter({ prisma: db.prisma }),
    env,
    logger,
    readiness: { postgres: db.ping, redis: redis ? () => redis.ping() : null },
    onClose: [db.close, async () => redis?.quit()],
  });
}
