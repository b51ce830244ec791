import type { CacheCore } from './cache-core.js';
import type { StoreWrite } from './cache-store.js';
import { toMs } from './cache-ttl.js';
import { decodeEntry, deserialise, seenMark, TOMBSTONE_MS } from './entry.js';
import { groupBy } from './group-by.js';
import { encodeForStore, rememberInL1 } from './read-through.js';

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
  const found = await readAll(core, keys);
  if (!found) return keys.map(() => undefined);
  return keys.map((key) => {
    const hit = found.get(key);
    const entry = decodeEntry(hit?.raw ?? null);
    const namespace = hit?.namespace ?? core.keys.namespaceOf(key);
    if (entry?.kind === 'value' && entry.freshUntil > Date.now()) {
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
  const graceMs = options.grace === undefined ? core.settings.graceMs : toMs(options.grace);
  let wanted = unique;
  if (useL1) wanted = unique.filter((key) => !answerFromL1(core, key, answers));

  const joined = wanted.filter((key) => core.flights.has(key));
  const toRead = wanted.filter((key) => !core.flights.has(key));
  const found = toRead.length > 0 ? await readAll(core, toRead) : new Map<string, Found>();
  const stale = new Map<string, T | null>();
  const missing: string[] = [];
  const now = Date.now();
  // Counted per namespace, then recorded once each: this loop runs for up to 1,000 keys, and
  // one lookup that misses 100 keys is one miss event on the span, not 100.
  const hits = new Map<string, number>();
  const misses = new Map<string, number>();
  for (const key of toRead) {
    const hit = found?.get(key);
    const namespace = hit?.namespace ?? core.keys.namespaceOf(key);
    const entry = decodeEntry(hit?.raw ?? null);
    if (entry?.kind === 'value' && entry.freshUntil > now) {
      hits.set(namespace, (hits.get(namespace) ?? 0) + 1);
      answers.set(key, deserialise<T | null>(entry.payload));
      if (useL1)
        rememberInL1(
          core,
          { key, namespace, tags: [], l1: true, graceMs },
          hit?.raw as string,
          entry.freshUntil,
        );
      continue;
    }
    if (entry?.kind === 'value') stale.set(key, deserialise<T | null>(entry.payload));
    if (found) misses.set(namespace, (misses.get(namespace) ?? 0) + 1);
    else core.stats.record(namespace, 'error');
    missing.push(key);
  }
  for (const [namespace, count] of hits) core.stats.record(namespace, 'hit', count);
  for (const [namespace, count] of misses) core.stats.record(namespace, 'miss', count);

  if (missing.length > 0) {
    const loading = loadMissing(core, missing, load, { options, graceMs, found, stale, useL1 });
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

interface LoadContext<T> {
  options: GetManyOrLoadOptions;
  graceMs: number;
  /** What the read found (undefined: Redis was out, so nothing is written back). */
  found: Map<string, Found> | undefined;
  stale: Map<string, T | null>;
  useL1: boolean;
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
        rememberInL1(core, { key, namespace, tags: [], l1: true, graceMs }, raw, Date.now() + toMs(ttl));
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

/** One round trip for every key (grouped by namespace); undefined when Redis is out. */
async function readAll(core: CacheCore, keys: readonly string[]): Promise<Map<string, Found> | undefined> {
  const namespaceOf = new Map(keys.map((key) => [key, core.keys.namespaceOf(key)]));
  const groups = groupBy(keys, (key) => namespaceOf.get(key) as string).map((group) => ({
    namespace: namespaceOf.get(group[0] as string) as string,
    keys: group,
  }));
  const read = await core.use((store) => store.read(groups));
  if (!read.ok) return undefined;
  const found = new Map<string, Found>();
  groups.forEach((group, index) => {
    const result = read.value[index];
    const epoch = result?.epoch ?? '0';
    group.keys.forEach((key, position) => {
      found.set(key, { raw: result?.raws[position] ?? null, epoch, namespace: group.namespace });
    });
  });
  return found;
}

function answerFromL1<T>(core: CacheCore, key: string, answers: Map<string, T | null>): boolean {
  const entry = core.l1?.get(key);
  if (!entry || entry.freshUntil <= Date.now()) return false;
  const decoded = decodeEntry(entry.raw);
  if (decoded?.kind !== 'value') return false;
  core.stats.record(entry.namespace, 'hit');
  answers.set(key, deserialise<T | null>(decoded.payload));
  return true;
}
