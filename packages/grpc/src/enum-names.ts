import type { DescEnum } from '@bufbuild/protobuf';

/** An enum value's name without the enum's shared prefix: `GENDER_MALE` → `MALE`. */
function bareName(desc: DescEnum, name: string): string {
  // protobuf-es gives the prefix in lower case (`gender_`).
  const prefix = desc.sharedPrefix;
  return prefix && name.toLowerCase().startsWith(prefix) ? name.slice(prefix.length) : name;
}

const byName = new WeakMap<DescEnum, Map<string, number>>();
// The procedures' strings as they come (`run-started`), so an answer's enum costs one lookup.
const byString = new WeakMap<DescEnum, Map<string, number>>();

/**
 * The procedure's string for a proto enum number: `GENDER_MALE` → `male`. The zero value
 * (`*_UNSPECIFIED`) means "not given", so it reads as undefined.
 */
export function enumToString(desc: DescEnum, value: number): string | undefined {
  if (value === 0) return undefined;
  const found = desc.value[value];
  return found ? bareName(desc, found.name).toLowerCase() : undefined;
}

/** The proto enum number for a procedure's string, whatever its case or dashes (`male`, `run-started`); 0 if none. */
export function enumFromString(desc: DescEnum, value: string): number {
  let seen = byString.get(desc);
  const known = seen?.get(value);
  if (known !== undefined) return known;
  let names = byName.get(desc);
  if (!names) {
    names = new Map(desc.values.map((candidate) => [bareName(desc, candidate.name), candidate.number]));
    byName.set(desc, names);
  }
  const number = names.get(value.toUpperCase().replaceAll('-', '_'));
  if (number === undefined) return 0;
  // Only strings naming a value are kept: at most a few spellings of each.
  if (!seen) {
    seen = new Map();
    byString.set(desc, seen);
  }
  if (seen.size < 4 * desc.values.length) seen.set(value, number);
  return number;
}
