import { createRedis } from '@mesh/cache';
import { IngestionService } from '@mesh/contracts';
import { createDatabase } from '@mesh/db';
import { withGrpcFace } from '@mesh/grpc';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { DB_SCHEMA, type IngestionEnv, SERVICE_NAME } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { createIngestionRouter, type IngestionRouter } from './router.js';
import { createSessionCipher } from './sessions/session-cipher.js';
import { createSessionStore } from './sessions/session-store.js';
import type { MessageSource } from './sources/message-source.js';
import { selectSource } from './sources/select-source.js';
import { createSyncMessages } from './sync/sync-messages.js';
import { createSyncMetrics } from './sync/sync-metrics.js';
import { createSyncProgress } from './sync/sync-progress.js';
import { registerSyncRoute } from './sync/sync-route.js';

export interface BuildIngestionOptions {
  /** Replaces the source the environment selects (tests, benchmarks). */
  source?: MessageSource;
}

/** Builds the ingestion service (not yet listening) from its settings. */
export async function buildIngestionService(
  env: IngestionEnv,
  options: BuildIngestionOptions = {},
): Promise<MeshService<IngestionRouter>> {
  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: env.db, logger });
  const key = env.TELEGRAM_SESSION_ENCRYPTION_KEY;
  const sessions =
    key === undefined
      ? undefined
      : createSessionStore(
          db.prisma,
          createSessionCipher({ key, previousKeys: env.TELEGRAM_SESSION_PREVIOUS_KEYS }),
        );
  let source: MessageSource;
  try {
    source = options.source ?? (await selectSource({ env, sessions, log: logger }));
  } catch (error) {
    await db.close();
    throw error;
  }
  const redis = createRedis(env.cache);
  const progress = createSyncProgress();
  const metrics = createSyncMetrics();
  const syncMessages = createSyncMessages({
    pool: db.pool,
    source,
    progress,
    metrics,
    log: logger,
    chunkSize: env.INGESTION_CHUNK_SIZE,
    fetchTimeoutMs: env.INGESTION_FETCH_TIMEOUT_MS,
  });
  const service = await createService({
    name: SERVICE_NAME,
    router: createIngestionRouter({
      prisma: db.prisma,
      pool: db.pool,
      source,
      syncMessages,
      progress,
      sessions,
    }),
    env,
    logger,
    readiness: { postgres: db.ping, redis: redis ? () => redis.ping() : null },
    onClose: [async () => source.close?.(), db.close, async () => redis?.quit()],
  });
  metrics.register(service.metrics.registry);
  registerSyncRoute(service.app, { apiKey: env.TELEGRAM_GATEWAY_API_KEY, syncMessages });
  return withGrpcFace(service, { services: [IngestionService], port: env.grpcPort, env });
}
