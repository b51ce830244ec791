import { defineServiceEnv } from '@mesh/kit';
import { z } from 'zod';

const botControlEnv = defineServiceEnv({
  service: 'bot-control',
  /** user-cache, for `getUsers` in button updates. */
  peers: ['user-cache'],
  shape: {
    /**
     * How often a live subscription re-reads its table even without a notification: covers a
     * NOTIFY lost while the listener reconnects. Cheap (one indexed read per subscriber).
     */
    BOT_COMMANDS_BACKSTOP_MS: z.coerce.number().int().positive().default(5_000),
    /** First pause before the listener reconnects; doubles per failure up to the max. */
    BOT_LISTENER_RETRY_MS: z.coerce.number().int().positive().default(100),
    BOT_LISTENER_RETRY_MAX_MS: z.coerce.number().int().positive().default(5_000),
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
  },
});

/**
 * Every setting of the bot-control service (`readEnv`, validated once at start-up), the URL Prisma's
 * CLI uses (`migrationDatabaseUrl`), and its name and Postgres schema.
 */
export const { SERVICE_NAME, DB_SCHEMA, readEnv, migrationDatabaseUrl } = botControlEnv.exports(process.env);

export type BotControlEnv = ReturnType<typeof readEnv>;
