/** Transaction control: a sync's BEGIN and COMMIT around each channel's chunks touch no row. */
const TRANSACTION_CONTROL = /^(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/**
 * Shapes that carry many rows in one statement, matched once literals are `?` and parameters
 * `$`: an array parameter (`= ANY($1)`, `$1::bigint[]`, `unnest(...)`), an IN list of several
 * parameters (Prisma's `findMany({ where: { id: { in } } })`), a multi-row VALUES. An IN list
 * of literals is not: `status IN ('open', 'held')` beside `id = $1` is still one row a trip.
 */
const BATCHED = [
  /\b(?:ANY|ALL)\s*\(\s*\$/i,
  /\$\s*::\s*[\w."]+\s*\[\s*\]/,
  /\bunnest\s*\(/i,
  /\bjsonb?_to_recordset\s*\(/i,
  /\b(?:IN\s*\(|ARRAY\s*\[)\s*\$(?:\s*,\s*\$)+\s*[)\]]/i,
  // VALUES (…), (…): a row's items may hold one level of calls or casts, `($1, now())`.
  /\bVALUES\s*\((?:[^()]|\([^()]*\))*\)\s*,\s*\(/i,
];

/**
 * Whether repeating `sql` under one span is one round trip per row: the N+1 the explorer looks
 * for. A batched statement run once per channel or per chunk is not; neither is BEGIN/COMMIT.
 * An IN list of one parameter still counts: that is a per-id `findMany` in a loop.
 */
export function isPerRowStatement(sql: string): boolean {
  const text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '$$')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .trim();
  if (TRANSACTION_CONTROL.test(text)) return false;
  return !BATCHED.some((shape) => shape.test(text));
}
