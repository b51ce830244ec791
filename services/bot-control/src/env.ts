import { readCacheEnv } from '@mesh/cache';
import { parseEnv } from '@mesh/config';
import { readDbEnv } from '@mesh/db';
import { kitEnvShape } from '@mesh/kit';
import { readTelemetryEnv } from '@mesh/telemetry';
import { z } from 'zod';

export const SERVICE_NAME = 'bot-control';
export const DB_SCHEMA = 'bots';

const schema = z.object({
  ...kitEnvShape,
  BOT_CONTROL_PORT: z.coerce.number().int().min(0).max(65535).default(4040),
  /**
   * How often a live subscription re-reads its table even without a notification: covers a
   * NOTIFY lost while the listener reconnects. Cheap (one indexed read per subscriber).
   */
  BOT_COMMANDS_BACKSTOP_MS: z.coerce.number().int().positive().default(5_000),
  /** First pause before the listener reconnects; doubles per failure up to the max. */
  BOT_LISTENER_RETRY_MS: z.coerce.number().int().positive().default(100),
  BOT_LISTENER_RETRY_MAX_MS: z.coerce.number().int().positive().default(5_000),
  /** Where user-cache answers (`getUsers` for button updates). */
  USER_CACHE_URL: z.url().default('http://127.0.0.1:4020'),
  /** The Bot API (a local fake in tests). */
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  /** Bot token for Bot API calls. No default: a secret never lives in code; unset disables the webhook. */
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  /** `X-Telegram-Bot-Api-Secret-Token` Telegram sends (setWebhook's secret_token, 1-256 of A-Z a-z 0-9 _ -). */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 of A-Z, a-z, 0-9, _ and -')
    .optional(),
  /** Names the BullMQ queue keys; tests give each file its own. */
  BOT_JOBS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/)
    .default('bot-control:jobs'),
  BOT_JOBS_CONCURRENCY: z.coerce.number().int().positive().default(8),
});

type Source = Record<string, string | undefined>;

/** Every setting of the bot-control service, validated once at start-up. */
export function readEnv(source: Source = process.env) {
  return {
    ...parseEnv(schema, source),
    db: readDbEnv(source),
    cache: readCacheEnv(source),
    telemetry: readTelemetryEnv(source),
  };
}

export type BotControlEnv = ReturnType<typeof readEnv>;

/** The URL Prisma's CLI uses (`migrate status`): `_prisma_migrations` lives in the service's schema. */
export function migrationDatabaseUrl(source: Source = process.env): string {
  const url = new URL(readDbEnv(source).DATABASE_URL);
  url.searchParams.set('schema', DB_SCHEMA);
  return url.toString();
}
