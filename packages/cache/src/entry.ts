import { randomBytes } from 'node:crypto';

/**
 * How an entry is stored, as one string:
 * - a value: `V<token>|<fresh until, ms since epoch>|<superjson of the value>`
 * - a tombstone (an invalidated key): `T<token>`
 *
 * The token is unique per write. A write-back compares the token it saw when it read the
 * key with the token there now (compare-and-set), so a load that read a key before it was
 * invalidated or rewritten can never put its older answer back.
 */
export type Entry =
  | { kind: 'value'; token: string; freshUntil: number; payload: string }
  | { kind: 'tombstone'; token: string };

const TOKEN_LENGTH = 14;

/** How long an invalidated key stays a tombstone; a load older than this is not written back. */
export const TOMBSTONE_MS = 30_000;
const instance = randomBytes(4).toString('hex');
let counter = 0;

/** A fixed-length token unique across processes: this process's id and a counter. */
export function newToken(): string {
  counter = (counter + 1) % 36 ** 6;
  return `${instance}${counter.toString(36).padStart(6, '0')}`;
}

export { deserialise, serialise } from './codec.js';

export function encodeValue(payload: string, freshUntil: number, token = newToken()): string {
  return `V${token}|${freshUntil}|${payload}`;
}

export function encodeTombstone(token = newToken()): string {
  return `T${token}`;
}

export function decodeEntry(raw: string | null): Entry | undefined {
  if (raw === null) return undefined;
  const token = raw.slice(1, 1 + TOKEN_LENGTH);
  if (raw.startsWith('T')) return { kind: 'tombstone', token };
  if (!raw.startsWith('V') || raw[1 + TOKEN_LENGTH] !== '|') return undefined;
  const second = raw.indexOf('|', TOKEN_LENGTH + 2);
  if (second === -1) return undefined;
  const freshUntil = Number(raw.slice(TOKEN_LENGTH + 2, second));
  return { kind: 'value', token, freshUntil, payload: raw.slice(second + 1) };
}

/**
 * What a write-back must still find in place to go ahead: '' for "nothing", or the
 * leading characters of the entry it read (kind and token). Compared as a prefix.
 */
export function seenMark(raw: string | null): string {
  if (raw === null) return '';
  return raw.startsWith('V') ? raw.slice(0, TOKEN_LENGTH + 2) : raw.slice(0, TOKEN_LENGTH + 1);
}

/** The check the stores run before a write-back (the Lua script does the same). */
export function stillSeen(current: string | null, seen: string): boolean {
  return seen === '' ? current === null : current?.startsWith(seen) === true;
}
