/**
 * Plain data: strings, numbers, booleans, null, undefined, BigInt, Date, arrays and plain
 * records of them, nested. The L1 keeps values of this shape decoded and hands out copies
 * (a spread per record, a new Date per date), which is many times cheaper than parsing the
 * stored text again on every hit. Anything else (Map, Set, class instances) is kept as text.
 */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return true;
    case 'object': {
      if (value === null) return true;
      if (value instanceof Date) return Object.getPrototypeOf(value) === Date.prototype;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (const item of value) if (!isPlainData(item, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value)
        if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** An independent copy of a value `isPlainData` accepted: no object of it is shared. */
export function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) {
    const list = new Array(value.length);
    for (let index = 0; index < value.length; index++) list[index] = copyPlain(value[index]);
    return list as T;
  }
  const record = { ...(value as Record<string, unknown>) };
  for (const key in record) {
    const field = record[key];
    if (typeof field === 'object' && field !== null) record[key] = copyPlain(field);
  }
  return record as T;
}

/** Copies one value of a shape known in advance (see `copierOf`). */
export type Copier = (value: unknown) => unknown;

const same: Copier = (value) => value;
const copyDate: Copier = (value) => new Date((value as Date).getTime());
const spread: Copier = (value) => ({ ...(value as Record<string, unknown>) });

/**
 * A copier for `value` (which `isPlainData` accepted) and for nothing else: it knows which
 * fields of a record hold objects, so a copy is one spread and those fields, without looking
 * at every field's type again. For a value that never changes, such as the L1's own copy:
 * the same independent copy `copyPlain` makes, in two thirds of its time for a user record
 * (the two new Dates are most of what is left).
 */
export function copierOf(value: unknown): Copier {
  if (typeof value !== 'object' || value === null) return same;
  if (value instanceof Date) return copyDate;
  if (Array.isArray(value)) return copyPlain;
  const nested: Array<[string, Copier]> = [];
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'object' && field !== null) nested.push([key, copierOf(field)]);
  }
  if (nested.length === 0) return spread;
  return (original) => {
    const record = { ...(original as Record<string, unknown>) };
    for (let index = 0; index < nested.length; index++) {
      const [key, copy] = nested[index] as [string, Copier];
      record[key] = copy(record[key]);
    }
    return record;
  };
}
