import { readDbEnv } from '@mesh/db';
import { readTelemetryEnv } from '@mesh/telemetry';

type Source = Record<string, string | undefined>;

/**
 * The migration Job's settings, validated at start: DATABASE_URL (the primary, never the
 * read replica or a transaction-mode pooler: the runner holds an advisory lock on its
 * connection) and LOG_LEVEL.
 */
export function readEnv(source: Source = process.env) {
  return { db: readDbEnv(source), telemetry: readTelemetryEnv(source) };
}

export type MigrateEnv = ReturnType<typeof readEnv>;
