import superjson from 'superjson';

type SuperJsonWire = Parameters<typeof superjson.deserialize>[0];

const NOT_PLAIN = Symbol('not plain JSON');

/**
 * A copy of `value` when superjson would send it as it is, with no `meta`; else NOT_PLAIN.
 * Plain is: finite numbers other than -0, strings, booleans, null, and arrays and plain
 * objects of those, each object met once (a shared or circular one gets superjson's
 * referential annotations), no `undefined` anywhere, none of the keys superjson refuses
 * (`__proto__`, `constructor`, `prototype`). A copy, as superjson's is: the wire holds the
 * value as it was when serialised, even if its owner changes it before the bytes are written.
 */
function plainCopy(value: unknown, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : NOT_PLAIN;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) return NOT_PLAIN;
      seen.add(value);
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
        const copy: unknown[] = new Array(value.length);
        for (let index = 0; index < value.length; index++) {
          const item = plainCopy(value[index], seen);
          if (item === NOT_PLAIN) return NOT_PLAIN;
          copy[index] = item;
        }
        return copy;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return NOT_PLAIN;
        const item = plainCopy((value as Record<string, unknown>)[key], seen);
        if (item === NOT_PLAIN) return NOT_PLAIN;
        copy[key] = item;
      }
      return copy;
    }
    default:
      return NOT_PLAIN;
  }
}

/** Whether a parsed JSON value holds a `__proto__` key, which superjson's copy would not keep as its own. */
function hasProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasProtoKey);
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || hasProtoKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * `superjson.serialize`, without its walk when the value is plain JSON: then superjson's answer
 * is `{ json: <a copy of the value> }` with no `meta`, and so is this one, at a fraction of the
 * cost (superjson keeps a path array and an identity entry per node; most mesh calls carry no
 * BigInt, Date, Map or Set).
 */
export function serializeSuperjson(value: unknown): ReturnType<typeof superjson.serialize> {
  const json = plainCopy(value, new Set());
  return json === NOT_PLAIN ? superjson.serialize(value) : { json: json as never };
}

/**
 * `superjson.deserialize` of a value just parsed from JSON: with no `meta` there is nothing to
 * revive, so the parsed JSON is the value (superjson would deep-copy it first; nothing else holds
 * a freshly parsed message). A `__proto__` key still goes through superjson, whose copy treats it
 * its own way.
 */
export function deserializeSuperjson(wire: unknown): unknown {
  const envelope = wire as { json?: unknown; meta?: unknown } | null | undefined;
  if (
    typeof envelope === 'object' &&
    envelope !== null &&
    envelope.meta === undefined &&
    !hasProtoKey(envelope.json)
  ) {
    return envelope.json;
  }
  return superjson.deserialize(wire as SuperJsonWire);
}
