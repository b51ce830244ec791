export interface SchemaMismatch {
  /** `schema.table`, or `schema.table.column`. */
  target: string;
  problem: 'missing-table' | 'missing-column' | 'type' | 'nullability';
  expected: string;
  actual: string;
}

/** Thrown by assertSchemaMatchesDatabase, listing every mismatch at once. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
  readonly code = 'SCHEMA_MISMATCH';

  constructor(
    schemaPath: string,
    readonly mismatches: SchemaMismatch[],
  ) {
    const lines = mismatches.map(
      (m) => `  - ${m.target}: ${m.problem}, expected ${m.expected}, found ${m.actual}`,
    );
    super(`${schemaPath} does not match the database:\n${lines.join('\n')}`);
  }
}
