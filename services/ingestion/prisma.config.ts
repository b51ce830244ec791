import { defineConfig } from 'prisma/config';
import { migrationDatabaseUrl } from './src/env.js';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: migrationDatabaseUrl() },
});
