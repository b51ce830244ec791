import type { CacheCore } from './cache-core.js';
import type { StoreWrite } from './cache-store.js';
import { toMs } from './cache-ttl.js';
import { decodeEntry, deserialise, seenMark, TOMBSTONE_MS } from './entry.js';
import { groupBy } from './group-by.js';
import { encodeForStore, rememberInL1, valueOfL1Entry } from './read-through.js';

export interface GetManyOrLoadOptions {
  /** Seconds a loaded value is fresh. */
  ttl: number;
  /** Seconds an absent answer (a key the loader did not return) is cached as `null`; not cached when unset. */
  negativeTtl?: number;
  /** Seconds past `ttl` a value may still answer if the loader fails. */
  grace?: number;
  l1?: boolean;
}

interface Found {
  raw: string | null;
  epoch: string;
  namespace: string;
}

/**
 * Fresh values of `keys` (`undefined` for a miss) in one round trip: one MGET per namespace,
 * all in one pipeline.
 */
export async function getMany<T>(core: CacheCore, keys: readonly string[]): Promise<Array<T | undefined>> {
  const read = await readAll(core, keys);
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
 */
export async function getManyOrLoad<T>(
  core: CacheCore,
  keys: readonly string[],
  load: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
  options: GetManyOrLoadOptions,
): Promise<Array<T | null>> {
  const unique = [...new Set(keys)];
  const answers = new Map<string, T | null>();
  const useL1 = options.l1 === true && core.l1 !== undefined && core.l1Coherent();
  // Taken before anything is read: what an invalidation overtakes stays out of the L1.
  const since = core.l1?.generation;
  const graceMs = options.grace === undefined ? core.settings.graceMs : toMs(options.grace);
  const wanted = useL1 ? answerFromL1(core, unique, answers) : unique;
  if (wanted.length === 0) return keys.map((key) => answers.get(key) ?? null);

  const joined: string[] = [];
  const toRead: string[] = [];
  for (const key of wanted) (core.flights.has(key) ? joined : toRead).push(key);
  const read = toRead.length > 0 ? await readAll(core, toRead) : undefined;
  const found = new Map<string, Found>();
  const stale = new Map<string, T | null>();
  const missing: string[] = [];
  const now = Date.now();
  // Counted per namespace, then recorded once each: this loop runs for up to 1,000 keys, and
  // one lookup that misses 100 keys is one miss event on the span, not 100.
  const hits = new Map<string, number>();
  const misses = new Map<string, number>();
  for (let index = 0; index < toRead.length; index++) {
    const key = toRead[index] as string;
    const raw = read ? (read.raws[index] ?? null) : null;
    const namespace = read ? (read.namespaces[index] as string) : core.keys.namespaceOf(key);
    const entry = decodeEntry(raw);
    if (entry?.kind === 'value' && entry.freshUntil > now) {
      hits.set(namespace, (hits.get(namespace) ?? 0) + 1);
      const value = deserialise<T | null>(entry.payload);
      answers.set(key, value);
      if (useL1)
        rememberInL1(core, l1Target(key, namespace, graceMs), raw as string, entry.freshUntil, {
          since,
          value,
        });
      continue;
    }
    if (entry?.kind === 'value') stale.set(key, deserialise<T | null>(entry.payload));
    if (read) {
      misses.set(namespace, (misses.get(namespace) ?? 0) + 1);
      found.set(key, { raw, epoch: read.epochs.get(namespace) ?? '0', namespace });
    } else core.stats.record(namespace, 'error');
    missing.push(key);
  }
  for (const [namespace, count] of hits) core.stats.record(namespace, 'hit', count);
  for (const [namespace, count] of misses) core.stats.record(namespace, 'miss', count);

  if (missing.length > 0) {
    const context = { options, graceMs, found: read ? found : undefined, stale, useL1, since };
    const loading = loadMissing(core, missing, load, context);
    for (const key of missing)
      core.flights.track(
        key,
        loading.then((values) => values.get(key) ?? null),
      );
    for (const [key, value] of await loading) answers.set(key, value);
  }
  for (const key of joined) answers.set(key, ((await core.flights.pending(key)) ?? null) as T | null);
  return keys.map((key) => answers.get(key) ?? null);
}

function l1Target(key: string, namespace: string, graceMs: number) {
  return { key, namespace, tags: [], l1: true, graceMs };
}

interface LoadContext<T> {
  options: GetManyOrLoadOptions;
  graceMs: number;
  /** What the read found (undefined: Redis was out, so nothing is written back). */
  found: Map<string, Found> | undefined;
  stale: Map<string, T | null>;
  useL1: boolean;
  /** The L1 generation before the read (see `L1Cache.generation`). */
  since: number | undefined;
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
    // Serve the last values if every missing key has one; otherwise the failure stands.
    if (!missing.every((key) => stale.has(key))) throw error;
    for (const key of missing) core.stats.record(core.keys.namespaceOf(key), 'stale');
    return new Map(missing.map((key) => [key, stale.get(key) ?? null]));
  }
  const values = new Map(missing.map((key) => [key, loaded.get(key) ?? null]));
  if (found && Date.now() - started < TOMBSTONE_MS - 1000) {
    const writes: Array<StoreWrite & { namespace: string; epoch: string }> = [];
    for (const [key, value] of values) {
      const ttl = value === null ? options.negativeTtl : options.ttl;
      if (ttl === undefined) continue;
      const namespace = core.keys.namespaceOf(key);
      const raw = encodeForStore(core, namespace, value, Date.now() + toMs(ttl));
      if (raw === undefined) continue;
      const read = found.get(key);
      writes.push({
        key,
        raw,
        ttlMs: toMs(ttl) + graceMs,
        tags: [],
        seen: seenMark(read?.raw ?? null),
        namespace,
        epoch: read?.epoch ?? '0',
      });
      if (context.useL1)
        rememberInL1(core, l1Target(key, namespace, graceMs), raw, Date.now() + toMs(ttl), {
          since: context.since,
          value,
        });
    }
    const groups = groupBy(writes, (write) => write.namespace).map((entries) => ({
      namespace: entries[0]?.namespace as string,
      epoch: entries[0]?.epoch as string,
      entries,
    }));
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
  epochs: Map<string, string>;
}

/** One round trip for every key (grouped by namespace); undefined when Redis is out. */
async function readAll(core: CacheCore, keys: readonly string[]): Promise<ReadAll | undefined> {
  const namespaces = keys.map((key) => core.keys.namespaceOf(key));
  const positions = new Map<string, number[]>();
  namespaces.forEach((namespace, index) => {
    const group = positions.get(namespace);
    if (group) group.push(index);
    else positions.set(namespace, [index]);
  });
  const groups = [...positions].map(([namespace, indices]) => ({
    namespace,
    keys: indices.map((index) => keys[index] as string),
  }));
  const read = await core.use((store) => store.read(groups));
  if (!read.ok) return undefined;
  const raws = new Array<string | null>(keys.length);
  const epochs = new Map<string, string>();
  let group = 0;
  for (const [namespace, indices] of positions) {
    const result = read.value[group++];
    epochs.set(namespace, result?.epoch ?? '0');
    for (let position = 0; position < indices.length; position++)
      raws[indices[position] as number] = result?.raws[position] ?? null;
  }
  return { raws, namespaces, epochs };
}

/** Answers what the L1 holds fresh (copies of it); returns the keys still wanted. */
function answerFromL1<T>(core: CacheCore, keys: readonly string[], answers: Map<string, T | null>): string[] {
  const wanted: string[] = [];
  const hits = new Map<string, number>();
  const now = Date.now();
  for (const key of keys) {
    const entry = core.l1?.get(key);
    if (!entry || entry.freshUntil <= now || !(entry.decoded || decodeEntry(entry.raw)?.kind === 'value')) {
      wanted.push(key);
      continue;
    }
    hits.set(entry.namespace, (hits.get(entry.namespace) ?? 0) + 1);
    answers.set(key, valueOfL1Entry<T | null>(entry));
  }
  for (const [namespace, count] of hits) core.stats.record(namespace, 'hit', count);
  return wanted;
}
