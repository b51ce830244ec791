import { describe, expect, it } from 'vitest';
import { withClient } from '../with-client.js';
import { assertSchemaMatchesDatabase } from './assert-schema-matches-database.js';
import { createTestDatabase } from './create-test-database.js';
import { widgetsMigrations, widgetsSchemaPath } from './fixtures/widgets.js';
import { SchemaMismatchError } from './schema-mismatch-error.js';

/** A migrated copy of the fixture, altered by `sql`; `?schema=widgets` as a service's URL has it. */
async function widgetsDatabase(sql?: string) {
  const db = await createTestDatabase({ migrations: [widgetsMigrations] });
  if (sql) await withClient(db.url, (client) => client.query(sql));
  return Object.assign(db, { schemaUrl: `${db.url}?schema=widgets` });
}

async function mismatches(databaseUrl: string) {
  const error = await assertSchemaMatchesDatabase({ schemaPath: widgetsSchemaPath, databaseUrl }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SchemaMismatchError);
  return (error as SchemaMismatchError).mismatches.map(({ target, problem }) => [target, problem]);
}

describe('assertSchemaMatchesDatabase', () => {
  it('accepts the migrated fixture and returns how many columns it checked', async () => {
    await using db = await widgetsDatabase();

    const checked = await assertSchemaMatchesDatabase({
      schemaPath: widgetsSchemaPath,
      databaseUrl: db.schemaUrl,
    });

    expect(checked).toBe(14);
  });

  it('takes the Postgres schema from the option when the URL names none', async () => {
    await using db = await widgetsDatabase();

    const checked = await assertSchemaMatchesDatabase({
      schemaPath: widgetsSchemaPath,
      databaseUrl: db.url,
      schema: 'widgets',
    });

    expect(checked).toBe(14);
  });

  it('reports a missing column and a column of the wrong type together', async () => {
    await using db = await widgetsDatabase(`
      ALTER TABLE widgets.widgets DROP COLUMN blob;
      ALTER TABLE widgets.widgets ALTER COLUMN name TYPE integer USING 0;`);

    expect(await mismatches(db.schemaUrl)).toEqual([
      ['widgets.widgets.name', 'type'],
      ['widgets.widgets.blob', 'missing-column'],
    ]);
  });

  it('reports wrong nullability, a wrong native type, a wrong enum and a list stored as a scalar', async () => {
    await using db = await widgetsDatabase(`
      ALTER TABLE widgets.workshops ALTER COLUMN name DROP NOT NULL;
      ALTER TABLE widgets.widgets ALTER COLUMN public_id TYPE text;
      CREATE TYPE widgets.other_kind AS ENUM ('GEAR');
      ALTER TABLE widgets.widgets ALTER COLUMN kind DROP DEFAULT;
      ALTER TABLE widgets.widgets ALTER COLUMN kind TYPE widgets.other_kind USING 'GEAR';
      ALTER TABLE widgets.widgets ALTER COLUMN tags TYPE text USING '';`);

    expect(await mismatches(db.schemaUrl)).toEqual([
      ['widgets.workshops.name', 'nullability'],
      ['widgets.widgets.public_id', 'type'],
      ['widgets.widgets.kind', 'type'],
      ['widgets.widgets.tags', 'type'],
    ]);
  });

  it('reports every table as missing when pointed at the wrong Postgres schema', async () => {
    await using db = await widgetsDatabase();

    expect(await mismatches(db.url)).toEqual([
      ['public.workshops', 'missing-table'],
      ['public.widgets', 'missing-table'],
    ]);
  });
});
