import { emptyAsUndefined } from '@mesh/config';
import { defineServiceEnv } from '@mesh/kit';
import { z } from 'zod';

const optional = <TSchema extends z.ZodType>(schema: TSchema) =>
  z.preprocess(emptyAsUndefined, schema.optional());
const count = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const keyMessage = 'must be at least 32 characters (generate one with: openssl rand -hex 32)';
const secretKey = z.string().min(32, keyMessage);

/** Channel ids as a comma-separated list (`-1001,-1002`). */
const channelIdList = z.preprocess(
  (value) =>
    typeof value === 'string' && value.trim() !== '' ? value.split(',').map((id) => id.trim()) : [],
  z.array(
    z
      .string()
      .regex(/^-?\d+$/, 'must be channel ids separated by commas')
      .transform(BigInt),
  ),
);

const ingestionEnv = defineServiceEnv({
  service: 'ingestion',
  shape: {
    /** `auto`: Telegram when API id, hash and a stored session exist, else the simulated source. */
    INGESTION_SOURCE: z.preprocess(
      emptyAsUndefined,
      z.enum(['auto', 'simulated', 'telegram']).default('auto'),
    ),
    /** Rows per INSERT statement; a channel's chunks commit together. */
    INGESTION_CHUNK_SIZE: count(5000, 1, 10_000),
    /** How long one channel's fetch from the source may take before that channel fails. */
    INGESTION_FETCH_TIMEOUT_MS: count(120_000, 1, 3_600_000),
    /** Simulated source: milliseconds each getMessages call waits, as Telegram's round trip would. */
    INGESTION_SIMULATED_LATENCY_MS: count(0, 0, 600_000),
    /** Simulated source: posts each channel has (ids 1..n). */
    INGESTION_SIMULATED_MESSAGES: count(10_000, 0, 100_000_000),
    /** Simulated source: channels whose fetch always fails (failure injection). */
    INGESTION_SIMULATED_FAIL_CHANNELS: channelIdList,
    /** Shared secret of the cron callers of POST /api/telegram-gateway/sync-messages (X-API-Key). */
    TELEGRAM_GATEWAY_API_KEY: optional(secretKey),
    TELEGRAM_API_ID: optional(z.coerce.number().int().positive()),
    TELEGRAM_API_HASH: optional(
      z.string().regex(/^[0-9a-f]{32}$/i, 'must be the 32 hex digits my.telegram.org shows'),
    ),
    /** Which stored session (telegram_sessions.name) the MTProto source logs in with. */
    TELEGRAM_SESSION_NAME: z.preprocess(emptyAsUndefined, z.string().min(1).max(64).default('default')),
    /** Encrypts stored sessions (AES-256-GCM, key derived with scrypt). Refused when short. */
    TELEGRAM_SESSION_ENCRYPTION_KEY: optional(secretKey),
    /** Earlier keys, comma-separated, still accepted for reading so the key can rotate. */
    TELEGRAM_SESSION_PREVIOUS_KEYS: z.preprocess(
      (value) => (typeof value === 'string' && value !== '' ? value.split(',') : []),
      z.array(secretKey),
    ),
  },
  refine(env, context) {
    // Half a Telegram configuration is a mistake to report at start-up, not a silent fallback.
    const telegram = env.TELEGRAM_API_ID !== undefined || env.TELEGRAM_API_HASH !== undefined;
    const need = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (telegram && env.TELEGRAM_API_ID === undefined)
      need('TELEGRAM_API_ID', 'is required with TELEGRAM_API_HASH');
    if (telegram && env.TELEGRAM_API_HASH === undefined)
      need('TELEGRAM_API_HASH', 'is required with TELEGRAM_API_ID');
    if (telegram && env.TELEGRAM_SESSION_ENCRYPTION_KEY === undefined) {
      need(
        'TELEGRAM_SESSION_ENCRYPTION_KEY',
        'is required with TELEGRAM_API_ID (stored sessions are encrypted)',
      );
    }
    if (env.INGESTION_SOURCE === 'telegram' && !telegram) {
      need('INGESTION_SOURCE', 'is telegram, but TELEGRAM_API_ID and TELEGRAM_API_HASH are not set');
    }
  },
});

/**
 * Every setting of the ingestion service (`readEnv`, validated once at start-up), the URL Prisma's
 * CLI uses (`migrationDatabaseUrl`), and its name and Postgres schema.
 */
export const { SERVICE_NAME, DB_SCHEMA, readEnv, migrationDatabaseUrl } = ingestionEnv.exports(process.env);

export type IngestionEnv = ReturnType<typeof readEnv>;
