// The migration Job's process: `node deploy/migrate/main.js` in the migrate image, or
// `node --import tsx deploy/migrate/main.ts` from a checkout. Exit 0 when every schema is
// up to date, 1 otherwise.
import { createLogger } from '@mesh/telemetry';
import { readEnv } from './env.js';
import { migrateAll } from './migrate-all.js';

const env = readEnv();
const logger = createLogger({ name: 'migrate', level: env.telemetry.LOG_LEVEL });
try {
  await migrateAll({ databaseUrl: env.db.DATABASE_URL, logger });
} catch (error) {
  logger.error({ err: error }, 'migration failed');
  process.exitCode = 1;
}
