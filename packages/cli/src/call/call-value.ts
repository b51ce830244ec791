import superjson from 'superjson';

/**
 * How `mesh call` writes the values JSON has no type for, in its input and its output alike
 * (so a printed result can be pasted back as input):
 *   BigInt  "42n"                          a string of digits ending in n
 *   Date    {"$date":"2026-01-01T00:00:00Z"}
 * superjson's own `{"json": ..., "meta": ...}` form is taken as input too.
 */
export const CALL_VALUE_HELP = 'a BigInt is written "42n", a Date {"$date":"2026-01-01T00:00:00Z"}';

const BIGINT = /^-?\d+n$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSuperjsonForm(value: unknown): value is { json: unknown; meta: unknown } {
  return (
    isPlainObject(value) &&
    Object.keys(value).length === 2 &&
    'json' in value &&
    isPlainObject(value.meta) &&
    'values' in value.meta
  );
}

function revive(value: unknown): unknown {
  if (typeof value === 'string' && BIGINT.test(value)) return BigInt(value.slice(0, -1));
  if (Array.isArray(value)) return value.map(revive);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$date') {
    const date = new Date(String(value.$date));
    if (Number.isNaN(date.getTime())) throw new SyntaxError(`"${String(value.$date)}" is not a date`);
    return date;
  }
  return Object.fromEntries(keys.map((key) => [key, revive(value[key])]));
}

/** The procedure input a command line gives, or undefined for none; throws SyntaxError saying what is wrong. */
export function decodeCallInput(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed: unknown = JSON.parse(text);
  if (isSuperjsonForm(parsed))
    return superjson.deserialize(parsed as Parameters<typeof superjson.deserialize>[0]);
  return revive(parsed);
}

function toPrintable(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(toPrintable);
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([key, item]) => [String(key), toPrintable(item)]));
  if (value instanceof Set) return [...value].map(toPrintable);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPrintable(item)]));
  }
  return value;
}

/** A result as indented JSON, BigInt and Date written the way the input takes them. */
export function encodeCallOutput(value: unknown): string {
  return JSON.stringify(toPrintable(value), null, 2) ?? 'undefined';
}
