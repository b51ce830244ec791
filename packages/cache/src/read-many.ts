import type { CacheCore } from './cache-core.js';
import type { NamespaceWrite, StoreWrite } from './cache-store.js';
import { toMs } from './cache-ttl.js';
import { decodeEntry, deserialise, seenMark, TOMBSTONE_MS } from './entry.js';
import { groupBy } from './group-by.js';
import type { L1Cache, L1Entry } from './l1-cache.js';
import { rememberInL1, seedVersions, valueOfL1Entry } from './l1-entries.js';
import { encodeForStore } from './read-through.js';
import { bucketOf, holdsVersion, versionOf } from './version-buckets.js';

export interface GetManyOrLoadOptions {
  /** Seconds a loaded value is fresh. */
  ttl: number;
  /** Seconds an absent answer (a key the loader did not return) is cached as `null`; not cached when unset. */
  negativeTtl?: number;
  /** Seconds past `ttl` a value may still answer if the loader fails. */
  grace?: number;
  l1?: boolean;
}

/** What the read found of a key that was not a fresh hit: what its write-back is guarded by. */
interface Found {
  raw: string | null;
  epoch: string;
  /** The key's bucket version in the same read (undefined: the L1 is not in use). */
  version: string | null | undefined;
}

/**
 * Fresh values of `keys` (`undefined` for a miss) in one round trip: one MGET per namespace,
 * all in one pipeline.
 */
export async function getMany<T>(core: CacheCore, keys: readonly string[]): Promise<Array<T | undefined>> {
  const read = await readAll(core, keys, [], false);
  if (!read) return keys.map(() => undefined);
  const now = Date.now();
  return read.raws.map((raw, index) => {
    const entry = decodeEntry(raw);
    const namespace = read.namespaces[index] as string;
    if (entry?.kind === 'value' && entry.freshUntil > now) {
      core.stats.record(namespace, 'hit');
      return deserialise<T>(entry.payload);
    }
    core.stats.record(namespace, 'miss');
    return undefined;
  });
}

/**
 * Values of many keys, loading all the misses with one call of `load` (which gets the
 * missing keys and returns what it found, by key): one read, one load, one pipelined
 * write-back. Keys another call of this process is already loading are awaited, not
 * loaded twice. Answers in the order of `keys`; `null` where the loader found nothing.
 *
 * With `l1`, the keys the L1 holds are not read from Redis: the read asks for their buckets'
 * versions instead (in the same MGET as the other keys' values), and an entry answers only
 * if its version is still there. The few that fail are read again, a second round trip only
 * then, and are misses like any other if Redis holds nothing fresh for them.
 */
export async function getManyOrLoad<T>(
  core: CacheCore,
  keys: readonly string[],
  load: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
  options: GetManyOrLoadOptions,
): Promise<Array<T | null>> {
  // Answers by position in `keys`: the L1's hits land here directly (a key asked twice is
  // validated and copied twice, which costs less than a Set of every key); keys read or
  // loaded answer through `pass.answers`, by key, and are read and loaded once each.
  const byPosition = new Array<T | null | undefined>(keys.length);
  const l1 = options.l1 === true ? core.l1 : undefined;
  const graceMs = options.grace === undefined ? core.settings.graceMs : toMs(options.grace);
  const held: Held = { positions: [], entries: [], namespaces: [] };
  // Another call's load of a key, taken when this call decides to wait for it: by the time it
  // awaits, that load may have ended and left the flights.
  const joined = new Map<string, Promise<unknown>>();
  const join = (key: string): boolean => {
    const pending = core.flights.pending(key);
    if (pending === undefined) return false;
    joined.set(key, pending);
    return true;
  };
  const toRead = l1 ? lookUp(l1, keys, held, join) : [...new Set(keys)].filter((key) => !join(key));
  const pass: Pass<T> = {
    answers: new Map(),
    found: new Map(),
    stale: new Map(),
    missing: [],
    hits: new Map(),
    misses: new Map(),
    unversioned: new Set(),
  };
  if (held.entries.length + toRead.length > 0) {
    const read = await readAll(core, toRead, held.namespaces, l1 !== undefined);
    if (!read) {
      // Redis is out: nothing the L1 holds can be validated, so all of it goes to the loader too.
      const heldKeys = held.positions.map((position) => keys[position] as string);
      unreadable(core, [...new Set([...heldKeys, ...toRead])], pass);
    } else {
      const again = answerValidated(core, keys, held, read, pass, byPosition);
      takeRead(core, toRead, read, graceMs, pass);
      const reread: string[] = [];
      for (const key of again.length > 1 ? new Set(again) : again) if (!join(key)) reread.push(key);
      if (reread.length > 0) {
        const second = await readAll(core, reread, [], l1 !== undefined);
        if (second) takeRead(core, reread, second, graceMs, pass);
        else unreadable(core, reread, pass);
      }
    }
  }
  // Counted per namespace, then recorded once each: one lookup that misses 100 keys is one
  // miss event on the span, not 100.
  for (const [namespace, count] of pass.hits) core.stats.record(namespace, 'hit', count);
  for (const [namespace, count] of pass.misses) core.stats.record(namespace, 'miss', count);
  const seeds = [...pass.unversioned];

  const { missing, answers } = pass;
  if (missing.length === 0) {
    if (seeds.length > 0) seedVersions(core, seeds);
  } else {
    const useL1 = l1 !== undefined;
    const context = { options, graceMs, found: pass.found, stale: pass.stale, useL1, seeds };
    const loading = loadMissing(core, missing, load, context);
    for (const key of missing)
      core.flights.track(
        key,
        loading.then((values) => values.get(key) ?? null),
      );
    for (const [key, value] of await loading) answers.set(key, value);
  }
  for (const [key, pending] of joined) answers.set(key, ((await pending) ?? null) as T | null);
  return inOrder(keys, byPosition, answers);
}

/** The keys the L1 holds fresh: what a batch read validates instead of reading their values. */
interface Held {
  /** Positions in the batch's keys. */
  positions: number[];
  entries: L1Entry[];
  /** The distinct namespaces of `entries`. */
  namespaces: string[];
}

/**
 * Looks every key up in the L1 in one pass (one clock reading for the batch): fills `held`
 * with the fresh entries, and returns the keys to read from Redis, each once (those neither
 * held nor joined to another call's load). The Set that finds repeats is made only for keys
 * the L1 does not hold: none on a warm read.
 */
function lookUp(l1: L1Cache, keys: readonly string[], held: Held, join: (key: string) => boolean): string[] {
  const now = Date.now();
  const toRead: string[] = [];
  let seen: Set<string> | undefined;
  let namespace: string | undefined;
  for (let position = 0; position < keys.length; position++) {
    const key = keys[position] as string;
    const entry = l1.get(key, now);
    if (entry === undefined || entry.freshUntil <= now) {
      seen ??= new Set();
      if (seen.has(key)) continue;
      seen.add(key);
      if (!join(key)) toRead.push(key);
      continue;
    }
    held.positions.push(position);
    held.entries.push(entry);
    if (entry.namespace !== namespace) {
      namespace = entry.namespace;
      if (!held.namespaces.includes(namespace)) held.namespaces.push(namespace);
    }
  }
  return toRead;
}

/** The answers in the order of `keys` (`null` where there is none): the L1's by position, the others by key. */
function inOrder<T>(
  keys: readonly string[],
  byPosition: Array<T | null | undefined>,
  answers: ReadonlyMap<string, T | null>,
): Array<T | null> {
  for (let position = 0; position < keys.length; position++) {
    if (byPosition[position] === undefined)
      byPosition[position] = answers.get(keys[position] as string) ?? null;
  }
  return byPosition as Array<T | null>;
}

/** What one call of `getManyOrLoad` gathers from its reads. */
interface Pass<T> {
  /** Answers of the keys read or loaded (the L1's hits go by position instead). */
  answers: Map<string, T | null>;
  /** Keys read that were no fresh hit, with what guards their write-back. */
  found: Map<string, Found>;
  /** Values past their freshness, served only if the load fails. */
  stale: Map<string, T | null>;
  /** Keys to load. */
  missing: string[];
  hits: Map<string, number>;
  misses: Map<string, number>;
  /** Namespaces read without versions (to seed). */
  unversioned: Set<string>;
}

const count = (counts: Map<string, number>, namespace: string, by = 1) =>
  counts.set(namespace, (counts.get(namespace) ?? 0) + by);

/**
 * Answers the L1 entries whose bucket version the read found unchanged (copies of them,
 * into `byPosition`); drops the others and returns their keys, to be read again. One pass:
 * the namespace's version string and hit count change only where the namespace does.
 */
function answerValidated<T>(
  core: CacheCore,
  keys: readonly string[],
  held: Held,
  read: ReadAll,
  pass: Pass<T>,
  byPosition: Array<T | null | undefined>,
): string[] {
  const again: string[] = [];
  const { entries, positions } = held;
  let namespace: string | undefined;
  let versions: string | null | undefined;
  let hits = 0;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as L1Entry;
    if (entry.namespace !== namespace) {
      if (namespace !== undefined && hits > 0) count(pass.hits, namespace, hits);
      namespace = entry.namespace;
      versions = read.versions.get(namespace);
      hits = 0;
    }
    const position = positions[index] as number;
    if (holdsVersion(versions, entry.bucket, entry.version)) {
      hits++;
      byPosition[position] = valueOfL1Entry<T | null>(entry);
      continue;
    }
    if (versionOf(versions, 0) === null) pass.unversioned.add(namespace);
    const key = keys[position] as string;
    core.l1?.delete([key]);
    again.push(key);
  }
  if (namespace !== undefined && hits > 0) count(pass.hits, namespace, hits);
  return again;
}

/** Takes what a read found for `keys`: fresh hits answer (and fill the L1), the rest are to load. */
function takeRead<T>(
  core: CacheCore,
  keys: readonly string[],
  read: ReadAll,
  graceMs: number,
  pass: Pass<T>,
) {
  const now = Date.now();
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const raw = read.raws[index] ?? null;
    const namespace = read.namespaces[index] as string;
    const bucket = read.buckets[index];
    const version = bucket === undefined ? undefined : versionOf(read.versions.get(namespace), bucket);
    if (version === null) pass.unversioned.add(namespace);
    const entry = decodeEntry(raw);
    if (entry?.kind === 'value' && entry.freshUntil > now) {
      count(pass.hits, namespace);
      const value = deserialise<T | null>(entry.payload);
      pass.answers.set(key, value);
      if (version !== undefined)
        rememberInL1(core, l1Target(key, namespace, graceMs), raw as string, entry.freshUntil, {
          version,
          value,
          bucket,
        });
      continue;
    }
    if (entry?.kind === 'value') pass.stale.set(key, deserialise<T | null>(entry.payload));
    count(pass.misses, namespace);
    pass.found.set(key, { raw, epoch: read.epochs.get(namespace) ?? '0', version });
    pass.missing.push(key);
  }
}

/** Keys Redis could not be asked about: loaded, never written back. */
function unreadable<T>(core: CacheCore, keys: readonly string[], pass: Pass<T>) {
  for (const key of keys) {
    core.stats.record(core.keys.namespaceOf(key), 'error');
    pass.missing.push(key);
  }
}

function l1Target(key: string, namespace: string, graceMs: number) {
  return { key, namespace, tags: [], l1: true, graceMs };
}

interface LoadContext<T> {
  options: GetManyOrLoadOptions;
  graceMs: number;
  /** What the reads found of the missing keys (a key absent: Redis was out, so it is not written back). */
  found: Map<string, Found>;
  stale: Map<string, T | null>;
  useL1: boolean;
  /** Namespaces the reads found without versions: seeded in the write-back's round trip (or alone without one). */
  seeds: string[];
}

async function loadMissing<T>(
  core: CacheCore,
  missing: string[],
  load: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
  context: LoadContext<T>,
): Promise<Map<string, T | null>> {
  const { options, graceMs, found, stale } = context;
  const started = Date.now();
  let loaded: ReadonlyMap<string, T>;
  try {
    loaded = await load(missing);
  } catch (error) {
    if (context.seeds.length > 0) seedVersions(core, context.seeds);
    // Serve the last values if every missing key has one; otherwise the failure stands.
    if (!missing.every((key) => stale.has(key))) throw error;
    for (const key of missing) core.stats.record(core.keys.namespaceOf(key), 'stale');
    return new Map(missing.map((key) => [key, stale.get(key) ?? null]));
  }
  const values = new Map(missing.map((key) => [key, loaded.get(key) ?? null]));
  if (found.size === 0 || Date.now() - started >= TOMBSTONE_MS - 1000) {
    if (context.seeds.length > 0) seedVersions(core, context.seeds);
  } else {
    const writes: Array<StoreWrite & { namespace: string; epoch: string }> = [];
    for (const [key, value] of values) {
      const read = found.get(key);
      if (!read) continue;
      const ttl = value === null ? options.negativeTtl : options.ttl;
      if (ttl === undefined) continue;
      const namespace = core.keys.namespaceOf(key);
      const raw = encodeForStore(core, namespace, value, Date.now() + toMs(ttl));
      if (raw === undefined) continue;
      writes.push({
        key,
        raw,
        ttlMs: toMs(ttl) + graceMs,
        tags: [],
        seen: seenMark(read.raw),
        namespace,
        epoch: read.epoch,
      });
      // Under the version read before the load: an invalidation since moved it, and this
      // entry will not validate.
      if (context.useL1 && read.version !== undefined)
        rememberInL1(core, l1Target(key, namespace, graceMs), raw, Date.now() + toMs(ttl), {
          version: read.version,
          value,
        });
    }
    // By namespace and epoch: the keys read again were read in a second MGET, whose epoch may be newer.
    const groups: NamespaceWrite[] = groupBy(writes, (write) => `${write.namespace}:${write.epoch}`).map(
      (entries) => ({
        namespace: entries[0]?.namespace as string,
        epoch: entries[0]?.epoch as string,
        entries,
      }),
    );
    for (const namespace of context.seeds) {
      const group = groups.find((candidate) => candidate.namespace === namespace);
      if (group) group.seed = true;
      else groups.push({ namespace, entries: [], seed: true });
    }
    // Not awaited: the answer does not depend on it, and the commands are already queued on
    // the connection, so any later read of these keys is served after them.
    if (groups.length > 0) void core.use((store) => store.write(groups));
  }
  return values;
}

interface ReadAll {
  /** Aligned with the keys read. */
  raws: Array<string | null>;
  namespaces: string[];
  /** The key's bucket, aligned with the keys read (only when versions were read). */
  buckets: Array<number | undefined>;
  epochs: Map<string, string>;
  /** Per namespace, its version string as read (null: none; absent: not asked for). */
  versions: Map<string, string | null>;
}

/**
 * One round trip for every key (grouped by namespace): the values of `keys`, the epochs, and
 * with `withVersions` the version strings of their namespaces and of `heldNamespaces` (those
 * of the L1's entries, whose values are not read). Undefined when Redis is out.
 */
async function readAll(
  core: CacheCore,
  keys: readonly string[],
  heldNamespaces: readonly string[],
  withVersions: boolean,
): Promise<ReadAll | undefined> {
  const namespaces = keys.map((key) => core.keys.namespaceOf(key));
  const buckets: Array<number | undefined> = withVersions ? keys.map(bucketOf) : [];
  const positions = new Map<string, number[]>();
  namespaces.forEach((namespace, index) => {
    const group = positions.get(namespace);
    if (group) group.push(index);
    else positions.set(namespace, [index]);
  });
  for (const namespace of heldNamespaces) if (!positions.has(namespace)) positions.set(namespace, []);
  const groups = [...positions].map(([namespace, indices]) => ({
    namespace,
    keys: indices.map((index) => keys[index] as string),
    versions: withVersions,
  }));
  const read = await core.use((store) => store.read(groups));
  if (!read.ok) return undefined;
  const raws = new Array<string | null>(keys.length);
  const epochs = new Map<string, string>();
  const versions = new Map<string, string | null>();
  groups.forEach((group, index) => {
    const result = read.value[index];
    epochs.set(group.namespace, result?.epoch ?? '0');
    if (withVersions) versions.set(group.namespace, result?.versions ?? null);
    const indices = positions.get(group.namespace) as number[];
    for (let position = 0; position < indices.length; position++)
      raws[indices[position] as number] = result?.raws[position] ?? null;
  });
  return { raws, namespaces, buckets, epochs, versions };
}
