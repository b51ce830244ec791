import superjson from 'superjson';

/**
 * superjson's wire format, with a fast path for the shape caches hold most: flat records
 * (and lists of them) whose fields are strings, finite numbers, booleans, null, BigInt and
 * Date. For those it writes exactly the string `superjson.stringify` writes, and reads them
 * back without superjson's generic walk (several times faster on 1,000 users); everything
 * else goes through superjson itself. Either way a value is serialised once.
 */
export function serialise(value: unknown): string {
  return fastStringify(value) ?? superjson.stringify(value);
}

export function deserialise<T>(payload: string): T {
  const parsed = JSON.parse(payload) as SuperJsonResult;
  if (parsed.meta === undefined) return parsed.json as T;
  if (fastApply(parsed.json, parsed.meta)) return parsed.json as T;
  // fastApply may have converted part of it before giving up: start again from the text.
  return superjson.parse<T>(payload);
}

type SuperJsonResult = { json: unknown; meta?: Record<string, unknown> };

type Annotation = 'bigint' | 'Date';

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The JSON form of a field and its annotation; undefined when the fast path does not apply. */
function field(value: unknown): [unknown, Annotation | null] | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return [value, null];
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? [value, null] : undefined;
    case 'bigint':
      return [value.toString(), 'bigint'];
    case 'object':
      if (value === null) return [null, null];
      if (value instanceof Date && !Number.isNaN(value.getTime())) return [value.toISOString(), 'Date'];
      return undefined;
    default:
      return undefined;
  }
}

function flatRecord(
  record: Record<string, unknown>,
  path: string,
  json: Record<string, unknown>,
  values: Record<string, [Annotation]>,
): boolean {
  for (const key of Object.keys(record)) {
    if (key.includes('.') || key.includes('\\') || key === '__proto__') return false;
    const encoded = field(record[key]);
    if (!encoded) return false;
    json[key] = encoded[0];
    if (encoded[1]) values[`${path}${key}`] = [encoded[1]];
  }
  return true;
}

function fastStringify(value: unknown): string | undefined {
  const values: Record<string, [Annotation]> = {};
  let json: unknown;
  if (isPlainRecord(value)) {
    const record: Record<string, unknown> = {};
    if (!flatRecord(value, '', record, values)) return undefined;
    json = record;
  } else if (Array.isArray(value)) {
    const list: unknown[] = [];
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (!isPlainRecord(item)) return undefined;
      const record: Record<string, unknown> = {};
      if (!flatRecord(item, `${index}.`, record, values)) return undefined;
      list.push(record);
    }
    json = list;
  } else {
    return undefined;
  }
  const annotated = Object.keys(values).length > 0;
  return JSON.stringify(annotated ? { json, meta: { values, v: 1 } } : { json });
}

/**
 * Converts the `bigint`/`Date` annotations at `key` or `index.key` paths in place, in one
 * pass. False as soon as anything else turns up (the caller falls back to superjson).
 */
function fastApply(json: unknown, meta: Record<string, unknown>): boolean {
  for (const key in meta) if (key !== 'values' && key !== 'v') return false;
  const values = meta.values as Record<string, unknown> | undefined;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return false;
  for (const path in values) {
    const annotation = values[path] as unknown[];
    const kind = annotation[0];
    if (annotation.length !== 1 || (kind !== 'bigint' && kind !== 'Date') || path.includes('\\'))
      return false;
    const dot = path.indexOf('.');
    let holder = json as Record<string, unknown> | null;
    let key = path;
    if (dot !== -1) {
      if (path.indexOf('.', dot + 1) !== -1) return false;
      holder = (json as Record<string, unknown>)[path.slice(0, dot)] as Record<string, unknown> | null;
      key = path.slice(dot + 1);
    }
    if (typeof holder !== 'object' || holder === null) return false;
    const text = holder[key];
    if (typeof text !== 'string') return false;
    holder[key] = kind === 'bigint' ? BigInt(text) : new Date(text);
  }
  return true;
}
