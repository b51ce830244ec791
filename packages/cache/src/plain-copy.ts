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
