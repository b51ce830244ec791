import { createRedis } from '@mesh/cache';
import { createDatabase } from '@mesh/db';
import { createService, type MeshService } from '@mesh/kit';
import { createLogger } from '@mesh/telemetry';
import { createChangeListener } from './commands/change-listener.js';
import { COMMANDS_CHANNEL, EVENTS_CHANNEL } from './commands/command-dto.js';
import { type BotControlEnv, DB_SCHEMA, SERVICE_NAME } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { type BotControlRouter, createBotControlRouter } from './router.js';

/** Builds the bot-control service (not yet listening) from its settings. */
export async function buildBotControlService(env: BotControlEnv): Promise<MeshService<BotControlRouter>> {
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
  return createService({
    name: SERVICE_NAME,
    router: createBotControlRouter({ prisma: db.prisma, listener, backstopMs: env.BOT_COMMANDS_BACKSTOP_MS }),
    env,
    logger,
    readiness: { postgres: db.ping, redis: redis ? () => redis.ping() : null },
    onClose: [listener.close, db.close, async () => redis?.quit()],
  });
}
