import { readFile } from 'node:fs/promises';
import { withClient } from '../with-client.js';
import { expectedColumnTypes } from './expected-column-types.js';
import { type PrismaField, type PrismaSchema, parsePrismaSchema } from './parse-prisma-schema.js';
import { type SchemaMismatch, SchemaMismatchError } from './schema-mismatch-error.js';

export interface AssertSchemaOptions {
  schemaPath: string;
  databaseUrl: string;
  /** Postgres schema of models without `@@schema`; defaults to the URL's `?schema=`, else `public`. */
  schema?: string;
}

interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
  is_nullable: 'YES' | 'NO';
  data_type: string;
  udt_name: string;
}

function checkColumn(
  target: string,
  field: PrismaField,
  column: ColumnRow,
  parsed: PrismaSchema,
): SchemaMismatch[] {
  const mismatches: SchemaMismatch[] = [];
  const allowed = expectedColumnTypes(field, parsed.enums);
  const isArray = column.data_type === 'ARRAY';
  const udt = isArray ? column.udt_name.replace(/^_/, '') : column.udt_name;
  if (allowed && (field.list !== isArray || !allowed.includes(udt))) {
    const expected = `${field.type}${field.list ? '[]' : ''} (${allowed.join('|')}${field.list ? '[]' : ''})`;
    mismatches.push({ target, problem: 'type', expected, actual: `${udt}${isArray ? '[]' : ''}` });
  }
  // Prisma creates list columns without NOT NULL and reads NULL as an empty list.
  if (!field.list && field.optional !== (column.is_nullable === 'YES')) {
    const describe = (nullable: boolean) => (nullable ? 'nullable' : 'NOT NULL');
    mismatches.push({
      target,
      problem: 'nullability',
      expected: describe(field.optional),
      actual: describe(column.is_nullable === 'YES'),
    });
  }
  return mismatches;
}

/**
 * Checks that every model and scalar field of a schema.prisma exists in the database with
 * a compatible type and nullability. Throws a SchemaMismatchError listing every mismatch;
 * returns the number of columns checked.
 */
export async function assertSchemaMatchesDatabase({
  schemaPath,
  databaseUrl,
  schema = new URL(databaseUrl).searchParams.get('schema') ?? 'public',
}: AssertSchemaOptions): Promise<number> {
  const parsed = parsePrismaSchema(await readFile(schemaPath, 'utf8'));
  const schemas = [...new Set(parsed.models.map((model) => model.schema ?? schema))];
  const { rows } = await withClient(databaseUrl, (client) =>
    client.query<ColumnRow>(
      `SELECT table_schema, table_name, column_name, is_nullable, data_type, udt_name
       FROM information_schema.columns WHERE table_schema = ANY($1)`,
      [schemas],
    ),
  );
  const columns = new Map(
    rows.map((row) => [`${row.table_schema}.${row.table_name}.${row.column_name}`, row]),
  );
  const tables = new Set(rows.map((row) => `${row.table_schema}.${row.table_name}`));
  const mismatches: SchemaMismatch[] = [];
  let checked = 0;
  for (const model of parsed.models) {
    const table = `${model.schema ?? schema}.${model.table}`;
    if (!tables.has(table)) {
      mismatches.push({
        target: table,
        problem: 'missing-table',
        expected: `table for model ${model.name}`,
        actual: 'none',
      });
      continue;
    }
    for (const field of model.fields) {
      const target = `${table}.${field.column}`;
      const column = columns.get(target);
      if (column) {
        checked++;
        mismatches.push(...checkColumn(target, field, column, parsed));
      } else {
        mismatches.push({
          target,
          problem: 'missing-column',
          expected: `column for ${model.name}.${field.name}`,
          actual: 'none',
        });
      }
    }
  }
  if (mismatches.length > 0) throw new SchemaMismatchError(schemaPath, mismatches);
  return checked;
}
