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
