import { createRedis } from '@mesh/cache';
import { createServiceClient } from '@mesh/client';
import { BotControlService } from '@mesh/contracts';
import { createDatabase } from '@mesh/db';
import { withGrpcFace } from '@mesh/grpc';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { createChangeListener } from './commands/change-listener.js';
import { COMMANDS_CHANNEL, EVENTS_CHANNEL } from './commands/command-dto.js';
import { type BotControlEnv, DB_SCHEMA, SERVICE_NAME } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { createJobQueue, type JobHandlers, type JobQueue } from './jobs/job-queue.js';
import { type BotControlRouter, createBotControlRouter } from './router.js';
import { createCallbackJob } from './webhook/callback-job.js';
import { createTelegramApi } from './webhook/telegram-api.js';
import { registerTelegramWebhook } from './webhook/webhook-route.js';

export interface BuildOptions {
  /** Extra or replacement job handlers (tests, benchmarks). */
  jobHandlers?: JobHandlers;
}

/** Builds the bot-control service (not yet listening) from its settings. */
export async function buildBotControlService(
  env: BotControlEnv,
  options: BuildOptions = {},
): Promise<MeshService<BotControlRouter>> {
  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  const db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: env.db, logger });
  const redis = createRedis(env.cache);
  const listener = createChangeListener({
    connectionString: env.db.DATABASE_URL,
    channels: [COMMANDS_CHANNEL, EVENTS_CHANNEL],
    logger,
    retryMs: env.BOT_LISTENER_RETRY_MS,
    retryMaxMs: env.BOT_LISTENER_RETRY_MAX_MS,
  });
  const userCache = createServiceClient<UserCacheRouter>({
    url: env.USER_CACHE_URL,
    token: env.MESH_SERVICE_TOKEN,
  });
  const telegram = env.TELEGRAM_BOT_TOKEN
    ? createTelegramApi({ apiRoot: env.TELEGRAM_API_ROOT, token: env.TELEGRAM_BOT_TOKEN })
    : null;
  const handlers: JobHandlers = {
    ...(telegram
      ? {
          'telegram.callback': createCallbackJob({
            prisma: db.prisma,
            userCache: userCache.client,
            telegram,
          }),
        }
      : {}),
    ...options.jobHandlers,
  };
  let jobs: JobQueue | null = null;
  const service = await createService({
    name: SERVICE_NAME,
    router: createBotControlRouter({
      prisma: db.prisma,
      listener,
      backstopMs: env.BOT_COMMANDS_BACKSTOP_MS,
      jobs: () => jobs,
    }),
    env,
    logger,
    readiness: { postgres: db.ping, redis: redis ? () => redis.ping() : null },
    onClose: [
      listener.close,
      async () => jobs?.close(),
      userCache.close,
      db.close,
      async () => redis?.quit(),
    ],
  });
  // Jobs need Redis; without it the service still controls bots, and says so in /readyz.
  if (env.cache.REDIS_URL) {
    jobs = createJobQueue({
      redisUrl: env.cache.REDIS_URL,
      prefix: `${env.cache.CACHE_KEY_PREFIX}${env.BOT_JOBS_PREFIX}`,
      concurrency: env.BOT_JOBS_CONCURRENCY,
      handlers,
      logger,
      registry: service.metrics.registry,
    });
  }
  if (telegram && jobs && env.TELEGRAM_WEBHOOK_SECRET) {
    registerTelegramWebhook(service.app, { secret: env.TELEGRAM_WEBHOOK_SECRET, telegram, jobs, logger });
  } else {
    logger.info('Telegram webhook off: set TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and REDIS_URL');
  }
  return withGrpcFace(service, { services: [BotControlService], port: env.grpcPort, env });
}
