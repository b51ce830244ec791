import { readCacheEnv } from '@mesh/cache';
import { parseEnv } from '@mesh/config';
import { readDbEnv } from '@mesh/db';
import { kitEnvShape } from '@mesh/kit';
import { readTelemetryEnv } from '@mesh/telemetry';
import { z } from 'zod';

export const SERVICE_NAME = 'analytics';
export const DB_SCHEMA = 'analytics';

const schema = z.object({
  ...kitEnvShape,
  ANALYTICS_PORT: z.coerce.number().int().min(0).max(65535).default(4030),
  /** user-cache, for user names (through the SDK, one call for many ids). */
  USER_CACHE_URL: z.url().default('http://127.0.0.1:4020'),
  /** Trades per INSERT statement in `recordTrades`; a call of more is one transaction. */
  /** Quiet time after a change before onDashboard pushes, so a burst of writes is one push. */
  ANALYTICS_DASHBOARD_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  ANALYTICS_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
});

type Source = Record<string, string | undefined>;

/** Every setting of the analytics service, validated once at start-up. */
export function readEnv(source: Source = process.env) {
  return {
    ...parseEnv(schema, source),
    db: readDbEnv(source),
    cache: readCacheEnv(source),
    telemetry: readTelemetryEnv(source),
  };
}

export type AnalyticsEnv = ReturnType<typeof readEnv>;

/** The URL Prisma's CLI uses (`migrate status`): `_prisma_migrations` lives in the service's schema. */
export function migrationDatabaseUrl(source: Source = process.env): string {
  const url = new URL(readDbEnv(source).DATABASE_URL);
  url.searchParams.set('schema', DB_SCHEMA);
  return url.toString();
}
