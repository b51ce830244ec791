import { createLogger } from '@mesh/telemetry';
import type pg from 'pg';
import { databaseUrlWithName } from '../database-url-with-name.js';
import { migrate } from '../migrate.js';
import { quoteIdentifier } from '../quote-identifier.js';
import { withAdvisoryLock } from '../with-advisory-lock.js';
import { retryWhileInUse } from './retry-while-in-use.js';
import { type MigrationSet, templateLabel, templateName } from './template-name.js';

/** Serialises template builds across vitest workers (separate processes). ASCII "mesh". */
const templateLockKey = 0x6d657368;

async function databaseExists(admin: pg.ClientBase, name: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

/** Templates of the same schema set built from older migrations; dropped best-effort. */
async function dropStaleTemplates(admin: pg.Client, keep: string, label: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database
     WHERE datname LIKE 'mesh\\_tpl\\_%' AND datname <> $1 AND shobj_description(oid, 'pg_database') = $2`,
    [keep, label],
  );
  for (const { datname } of rows) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)}`).catch(() => undefined);
  }
}

async function buildTemplate(admin: pg.Client, adminUrl: string, name: string, migrations: MigrationSet[]) {
  // Built under another name and renamed when complete, so a crash never leaves a half-migrated template.
  const building = quoteIdentifier(`${name}_wip`);
  await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${building}`);
  const url = databaseUrlWithName(adminUrl, `${name}_wip`);
  const logger = createLogger({ name: 'db', level: 'silent' });
  for (const { schema, migrationsDir } of migrations) {
    await migrate({ databaseUrl: url, schema, migrationsDir, logger });
  }
  await retryWhileInUse(() => admin.query(`ALTER DATABASE ${building} RENAME TO ${quoteIdentifier(name)}`));
  const label = templateLabel(migrations);
  await admin.query(`COMMENT ON DATABASE ${quoteIdentifier(name)} IS ${admin.escapeLiteral(label)}`);
  await dropStaleTemplates(admin, name, label);
}

/** The migrated template database for `migrations`, built once per content hash. */
export async function ensureTemplateDatabase(
  admin: pg.Client,
  adminUrl: string,
  migrations: MigrationSet[],
): Promise<string> {
  const name = await templateName(migrations);
  if (await databaseExists(admin, name)) return name;
  return withAdvisoryLock(admin, templateLockKey, async () => {
    if (!(await databaseExists(admin, name))) await buildTemplate(admin, adminUrl, name, migrations);
    return name;
  });
}
