import { defineServiceEnv, type EnvSource } from '@mesh/kit';
import { z } from 'zod';

const analyticsEnv = defineServiceEnv({
  service: 'analytics',
  /** user-cache, for user names (through the SDK, one call for many ids). */
  peers: ['user-cache'],
  shape: {
    /** Quiet time after a change before onDashboard pushes, so a burst of writes is one push. */
    ANALYTICS_DASHBOARD_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    /** Trades per INSERT statement in `recordTrades`; a call of more is one transaction. */
    ANALYTICS_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  },
});

export const SERVICE_NAME = analyticsEnv.entry.name;
export const DB_SCHEMA = analyticsEnv.entry.database.schema;

/** Every setting of the analytics service, validated once at start-up. */
export function readEnv(source: EnvSource = process.env) {
  return analyticsEnv.read(source);
}

export type AnalyticsEnv = ReturnType<typeof readEnv>;

/** The URL Prisma's CLI uses (`migrate status`): `_prisma_migrations` lives in the service's schema. */
export function migrationDatabaseUrl(source: EnvSource = process.env): string {
  return analyticsEnv.migrationDatabaseUrl(source);
}
