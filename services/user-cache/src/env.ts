import { CacheTtl } from '@mesh/cache';
import { defineServiceEnv } from '@mesh/kit';
import { z } from 'zod';

const seconds = z.coerce.number().int().positive();

const userCacheEnv = defineServiceEnv({
  service: 'user-cache',
  shape: {
    /** How long a user (and their wallets) stays cached; writes through this service invalidate at once. */
    USER_CACHE_TTL_S: seconds.default(CacheTtl.MEDIUM),
    /** How long "no such user" is remembered: short, for users created behind the service's back. */
    USER_CACHE_NEGATIVE_TTL_S: seconds.default(30),
    /**
     * Users (and wallet lists) kept in process memory per instance (0: off). Each answer is
     * validated against Redis in the read's one round trip, so a write on any instance is seen
     * by every instance's next read, as without it. 10,000: about 10 MB of decoded records.
     */
    USER_CACHE_L1_ENTRIES: z.coerce.number().int().nonnegative().default(10_000),
    /** Hot reads (getUser, getPartner, getUsersWithPartners) allowed per user per window. */
    USER_READ_RATE_LIMIT: z.coerce.number().int().positive().default(30),
    USER_READ_RATE_WINDOW_S: seconds.default(10),
    /** A chat pair lives this long unless unpaired first (a safety net for chats nobody closes). */
    CHAT_PAIR_TTL_S: seconds.default(7 * 24 * 3600),
  },
});

/**
 * Every setting of the user-cache service (`readEnv`, validated once at start-up), the URL Prisma's
 * CLI uses (`migrationDatabaseUrl`), and its name and Postgres schema.
 */
export const { SERVICE_NAME, DB_SCHEMA, readEnv, migrationDatabaseUrl } = userCacheEnv.exports(process.env);

export type UserCacheEnv = ReturnType<typeof readEnv>;
