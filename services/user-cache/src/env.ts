import { CacheTtl, readCacheEnv } from '@mesh/cache';
import { parseEnv } from '@mesh/config';
import { readDbEnv } from '@mesh/db';
import { kitEnvShape } from '@mesh/kit';
import { readTelemetryEnv } from '@mesh/telemetry';
import { z } from 'zod';

export const SERVICE_NAME = 'user-cache';
export const DB_SCHEMA = 'users';

const seconds = z.coerce.number().int().positive();

const schema = z.object({
  ...kitEnvShape,
  USER_CACHE_PORT: z.coerce.number().int().min(0).max(65535).default(4020),
  /** How long a user (and their wallets) stays cached; writes through this service invalidate at once. */
  USER_CACHE_TTL_S: seconds.default(CacheTtl.MEDIUM),
  /** How long "no such user" is remembered: short, for users created behind the service's back. */
  USER_CACHE_NEGATIVE_TTL_S: seconds.default(30),
  /** Users kept in process memory per instance (0: off); coherent across instances via the cache's bus. */
  USER_CACHE_L1_ENTRIES: z.coerce.number().int().nonnegative().default(0),
  /** Hot reads (getUser, getPartner, getUsersWithPartners) allowed per user per window. */
  USER_READ_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  USER_READ_RATE_WINDOW_S: seconds.default(10),
  /** A chat pair lives this long unless unpaired first (a safety net for chats nobody closes). */
  CHAT_PAIR_TTL_S: seconds.default(7 * 24 * 3600),
});

type Source = Record<string, string | undefined>;

/** Every setting of the user-cache service, validated once at start-up. */
export function readEnv(source: Source = process.env) {
  return {
    ...parseEnv(schema, source),
    db: readDbEnv(source),
    cache: readCacheEnv(source),
    telemetry: readTelemetryEnv(source),
  };
}

export type UserCacheEnv = ReturnType<typeof readEnv>;

/** The URL Prisma's CLI uses (`migrate status`): `_prisma_migrations` lives in the service's schema. */
export function migrationDatabaseUrl(source: Source = process.env): string {
  const url = new URL(readDbEnv(source).DATABASE_URL);
  url.searchParams.set('schema', DB_SCHEMA);
  return url.toString();
}
