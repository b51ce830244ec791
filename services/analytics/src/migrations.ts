import { catalogue, repoPath } from '@mesh/catalogue';

const { database } = catalogue.analytics;

/** This service's migrations, for the runner (`mesh up`, the migration Job, test databases). */
export const migrations = {
  schema: database.schema,
  migrationsDir: repoPath(database.migrationsDir),
};
