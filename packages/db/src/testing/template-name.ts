import { createHash } from 'node:crypto';
import { readMigrations } from '../read-migrations.js';

export interface MigrationSet {
  schema: string;
  migrationsDir: string;
}

/** `mesh_tpl_<12 hex>`: changes whenever a schema, a migration name or a migration's content does. */
export async function templateName(migrations: MigrationSet[]): Promise<string> {
  const hash = createHash('sha256');
  for (const { schema, migrationsDir } of migrations) {
    hash.update(`schema\0${schema}\0`);
    for (const migration of await readMigrations(migrationsDir)) {
      hash.update(`${migration.name}\0${migration.checksum}\0`);
    }
  }
  return `mesh_tpl_${hash.digest('hex').slice(0, 12)}`;
}

/** What templates of the same schema set share, whatever their migrations' content. */
export function templateLabel(migrations: MigrationSet[]): string {
  return `mesh test template for schemas: ${migrations.map((set) => set.schema).join(',')}`;
}
