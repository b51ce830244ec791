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
  const planned = withKnownMeta(payload);
  if (planned !== undefined) return planned.value as T;
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

const HEAD = '{"json":';
const META = ',"meta":';
/** A compiled `meta`: where each annotation applies (`holder` null: the top-level record). */
type Plan = Array<{ holder: string | null; key: string; kind: Annotation }>;
/** Plans by the text of their `meta`, bounded: a cache holds a few shapes, read over and over. */
const plans = new Map<string, Plan | null>();
const MAX_PLANS = 256;

/**
 * The fast read of the fast path's own output, `{"json":X,"meta":M}`, without parsing M on
 * every read: M's text is looked up among the metas seen before, and only X is parsed. If X
 * alone and M alone are valid JSON, the whole text is exactly the object `{ json: X, meta: M }`
 * (the grammar leaves no other reading), so this answers what superjson would. Undefined
 * when anything does not fit; the caller then reads the text the general way.
 */
function withKnownMeta(payload: string): { value: unknown } | undefined {
  if (!payload.startsWith(HEAD) || payload.charCodeAt(payload.length - 1) !== 125) return undefined;
  const at = payload.lastIndexOf(META);
  if (at === -1) return undefined;
  const metaText = payload.slice(at + META.length, -1);
  let plan = plans.get(metaText);
  if (plan === undefined) {
    plan = compilePlan(metaText);
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(metaText, plan);
  }
  if (plan === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(payload.slice(HEAD.length, at));
  } catch {
    return undefined;
  }
  return applyPlan(json, plan) ? { value: json } : undefined;
}

/** The same annotations `fastApply` accepts, compiled; null for any other meta. */
function compilePlan(metaText: string): Plan | null {
  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch {
    return null;
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
  for (const key in meta) if (key !== 'values' && key !== 'v') return null;
  const values = (meta as { values?: unknown }).values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return null;
  const plan: Plan = [];
  for (const path in values) {
    const annotation = (values as Record<string, unknown>)[path];
    if (!Array.isArray(annotation) || annotation.length !== 1) return null;
    const kind = annotation[0];
    if ((kind !== 'bigint' && kind !== 'Date') || path.includes('\\')) return null;
    if (path.includes('__proto__')) return null;
    const dot = path.indexOf('.');
    if (dot === -1) plan.push({ holder: null, key: path, kind });
    else if (path.indexOf('.', dot + 1) !== -1) return null;
    else plan.push({ holder: path.slice(0, dot), key: path.slice(dot + 1), kind });
  }
  return plan;
}

function applyPlan(json: unknown, plan: Plan): boolean {
  for (const { holder: at, key, kind } of plan) {
    const holder = (at === null ? json : (json as Record<string, unknown> | null)?.[at]) as Record<
      string,
      unknown
    > | null;
    if (typeof holder !== 'object' || holder === null) return false;
    const text = holder[key];
    if (typeof text !== 'string') return false;
    holder[key] = kind === 'bigint' ? BigInt(text) : new Date(text);
  }
  return true;
}
