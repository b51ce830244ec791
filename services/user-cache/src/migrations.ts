import { fileURLToPath } from 'node:url';
import { DB_SCHEMA } from './env.js';

/** This service's migrations, for the runner (`mesh up`, the migration Job, test databases). */
export const migrations = {
  schema: DB_SCHEMA,
  migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
};
