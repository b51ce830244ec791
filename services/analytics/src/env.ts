import { defineServiceEnv } from '@mesh/kit';
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

/**
 * Every setting of the analytics service (`readEnv`, validated once at start-up), the URL Prisma's
 * CLI uses (`migrationDatabaseUrl`), and its name and Postgres schema.
 */
export const { SERVICE_NAME, DB_SCHEMA, readEnv, migrationDatabaseUrl } = analyticsEnv.exports(process.env);

export type AnalyticsEnv = ReturnType<typeof readEnv>;
