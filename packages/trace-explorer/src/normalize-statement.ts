/**
 * A SQL statement's shape: literals, `$n` placeholders and numbers become `?`, IN lists and
 * multi-row VALUES fold to one item, comments and spacing go. Two statements that differ only
 * in the values they carry have the same shape, so one per row shows as a repeat.
 */
export function normalizeStatement(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi, 'IN (?)')
    .replace(/\bVALUES\s*(\(\s*\?(?:\s*,\s*\?)*\s*\))(?:\s*,\s*\(\s*\?(?:\s*,\s*\?)*\s*\))*/gi, 'VALUES $1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A statement short enough for one line: the select list and column lists become `…`. */
export function shortStatement(sql: string, max = 110): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const short = flat
    .replace(/^SELECT\s+(?:DISTINCT\s+)?[\s\S]+?\s+FROM\s/i, 'SELECT … FROM ')
    .replace(/^(INSERT INTO\s+\S+)\s*\([^)]*\)/i, '$1 (…)');
  return short.length > max ? `${short.slice(0, max - 1)}…` : short;
}
