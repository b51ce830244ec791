const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Double-quotes a schema, database or table name for SQL. Only plain identifiers are
 * accepted, so a name can never carry SQL (these names come from config, not users).
 */
export function quoteIdentifier(name: string): string {
  if (!plainIdentifier.test(name)) {
    throw new TypeError(
      `Not a plain SQL identifier (letters, digits, _; at most 63): ${JSON.stringify(name)}`,
    );
  }
  return `"${name}"`;
}
