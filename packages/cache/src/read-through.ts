import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheCore } from './cache-core.js';
import { toMs } from './cache-ttl.js';
import {
  decodeEntry,
  deserialise,
  encodeValue,
  newToken,
  seenMark,
  serialise,
  TOMBSTONE_MS,
} from './entry.js';
import type { L1Entry } from './l1-cache.js';
import { rememberInL1, seedVersions, valueOfL1Entry } from './l1-entries.js';
import { holdsVersion, newVersions, versionOf } from './version-buckets.js';

export interface GetOrSetOptions {
  /** Seconds the value is fresh (see `CacheTtl`). */
  ttl: number;
  /** Tags for `invalidateTag` (letters, digits, `_`, `.`, `:`, `-`). */
  tags?: readonly string[];
  /** Seconds past `ttl` the value may still be served while it is refreshed; the cache's default when unset. */
  grace?: number;
  /** Also keep it in this process (needs the cache's `l1` option). */
  l1?: boolean;
}

interface Target<T> {
  key: string;
  namespace: string;
  loader: () => Promise<T>;
  ttlMs: number;
  graceMs: number;
  tags: readonly string[];
  l1: boolean;
}

const TAG = /^[A-Za-z0-9_.:-]+$/;

export function resolveTarget<T>(
  core: CacheCore,
  key: string,
  loader: () => Promise<T>,
  options: GetOrSetOptions,
): Target<T> {
  const tags = options.tags ?? [];
  for (const tag of tags) if (!TAG.test(tag)) throw new TypeError(`cache tag "${tag}" must match ${TAG}`);
  return {
    key,
    namespace: core.keys.namespaceOf(key),
    loader,
    ttlMs: toMs(options.ttl),
    graceMs: options.grace === undefined ? core.settings.graceMs : toMs(options.grace),
    tags,
    l1: options.l1 === true && core.l1 !== undefined,
  };
}

/**
 * The value of `key`, loading it with `loader` on a miss. Concurrent misses in this process
 * share one run; across processes, the first to miss takes a short Redis lock and the rest
 * wait for its value (at most the lock wait, so a dead holder blocks nobody for long).
 */
export async function getOrSet<T>(core: CacheCore, target: Target<T>): Promise<T> {
  if (target.l1) {
    const entry = core.l1?.get(target.key);
    if (entry && entry.freshUntil > Date.now()) {
      const answered = await validated<T>(core, target, entry);
      if (answered === REDIS_OUT) {
        // Not a second try of a Redis that just failed (a slow one would cost its timeout twice).
        core.stats.record(target.namespace, 'error');
        return core.flights.run(target.key, () => loadWithoutStore(core, target));
      }
      if (answered) return answered.value;
    }
  }
  return core.flights.run(target.key, () => readThrough(core, target));
}

const REDIS_OUT = Symbol('Redis out');

/**
 * An L1 entry checked against its bucket's version, the key's value read in the same MGET
 * (one key costs little to bring along, and a mismatch then needs no second round trip when
 * Redis holds a fresh value). Undefined: the read-through path takes over (a miss to load, a
 * stale value to refresh). `REDIS_OUT`: nothing could be validated; the loader answers, and
 * the L1's value is only its last resort.
 */
async function validated<T>(
  core: CacheCore,
  target: Target<T>,
  entry: L1Entry,
): Promise<{ value: T } | typeof REDIS_OUT | undefined> {
  const { key, namespace } = target;
  const read = await core.use((store) => store.read([{ namespace, keys: [key], versions: true }]));
  if (!read.ok) return REDIS_OUT;
  const versions = read.value[0]?.versions;
  if (holdsVersion(versions, entry.bucket, entry.version)) {
    core.stats.record(namespace, 'hit');
    return { value: valueOfL1Entry<T>(entry) };
  }
  core.l1?.delete([key]);
  const version = versionOf(versions, entry.bucket);
  if (version === null) seedVersions(core, [namespace]);
  const raw = read.value[0]?.raws[0] ?? null;
  const found = decodeEntry(raw);
  if (found?.kind !== 'value' || found.freshUntil <= Date.now()) return undefined;
  const value = deserialise<T>(found.payload);
  rememberInL1(core, target, raw as string, found.freshUntil, { version, value });
  core.stats.record(namespace, 'hit');
  return { value };
}

async function readThrough<T>(core: CacheCore, target: Target<T>): Promise<T> {
  const { key, namespace, tags } = target;
  const token = newToken();
  const read = await core.use((store) =>
    store.readOrLock({
      key,
      namespace,
      lockToken: token,
      lockTtlMs: core.settings.lockTtlMs,
      tags,
      seedVersions: seedFor(target),
    }),
  );
  if (!read.ok) {
    core.stats.record(namespace, 'error');
    return loadWithoutStore(core, target);
  }
  const { raw, epoch, locked, version } = read.value;
  const entry = decodeEntry(raw);
  if (entry?.kind === 'value') {
    const value = deserialise<T>(entry.payload);
    rememberInL1(core, target, raw as string, entry.freshUntil, { version, value });
    if (entry.freshUntil > Date.now()) {
      core.stats.record(namespace, 'hit');
    } else {
      core.stats.record(namespace, 'stale');
      refreshInBackground(core, target);
    }
    return value;
  }
  core.stats.record(namespace, 'miss');
  if (locked) return loadAndStore(core, target, { seen: seenMark(raw), epoch, lockToken: token, version });
  return waitForHolder(core, target, epoch);
}

/** Versions for the read to set if the namespace has none: only for an L1 to fill under. */
function seedFor(target: Target<unknown>): string | undefined {
  return target.l1 ? newVersions() : undefined;
}

/** Another process holds the load lock: poll for its value, take over if it goes away. */
async function waitForHolder<T>(core: CacheCore, target: Target<T>, epoch: string): Promise<T> {
  const deadline = Date.now() + core.settings.lockWaitMs;
  let pause = 5;
  let lastRaw: string | null = null;
  let lastVersion: string | null = null;
  while (Date.now() < deadline) {
    await sleep(pause);
    pause = Math.min(pause * 2, 50);
    const peek = await core.use((store) => store.peek(target.key));
    if (!peek.ok) return loadWithoutStore(core, target);
    lastRaw = peek.value.raw;
    lastVersion = peek.value.version;
    const entry = decodeEntry(lastRaw);
    if (entry?.kind === 'value') {
      const value = deserialise<T>(entry.payload);
      rememberInL1(core, target, lastRaw as string, entry.freshUntil, { version: lastVersion, value });
      return value;
    }
    if (!peek.value.locked) {
      // The holder failed or died without a value: the next one to get here loads.
      const token = newToken();
      const again = await core.use((store) =>
        store.readOrLock({
          ...target,
          lockToken: token,
          lockTtlMs: core.settings.lockTtlMs,
          seedVersions: seedFor(target),
        }),
      );
      if (!again.ok) return loadWithoutStore(core, target);
      const found = decodeEntry(again.value.raw);
      if (found?.kind === 'value') return deserialise<T>(found.payload);
      if (again.value.locked) {
        return loadAndStore(core, target, {
          seen: seenMark(again.value.raw),
          epoch: again.value.epoch,
          lockToken: token,
          version: again.value.version,
        });
      }
    }
  }
  // Waited long enough: load ourselves; the guarded write-back keeps whichever came first.
  return loadAndStore(core, target, { seen: seenMark(lastRaw), epoch, version: lastVersion });
}

interface WriteBack {
  seen: string;
  epoch: string;
  lockToken?: string;
  /**
   * The key's bucket version read with `seen`, before the load: what the loaded value is
   * kept under in the L1. An invalidation during the load moves it, so that entry will not
   * validate (as the write-back's guards keep it out of Redis).
   */
  version: string | null;
}

async function loadAndStore<T>(core: CacheCore, target: Target<T>, writeBack: WriteBack): Promise<T> {
  const { key, namespace } = target;
  const started = Date.now();
  const unlock = writeBack.lockToken ? { key, token: writeBack.lockToken } : undefined;
  let value: T;
  try {
    value = await target.loader();
  } catch (error) {
    if (unlock) await core.use((store) => store.unlock(unlock.key, unlock.token));
    throw error;
  }
  const raw = encodeForStore(core, namespace, value, Date.now() + target.ttlMs);
  // A load slower than a tombstone's life may have missed an invalidation: not kept.
  if (raw === undefined || Date.now() - started > TOMBSTONE_MS - 1000) {
    if (unlock) await core.use((store) => store.unlock(unlock.key, unlock.token));
    return value;
  }
  const entry = { key, raw, ttlMs: target.ttlMs + target.graceMs, tags: target.tags, seen: writeBack.seen };
  // Not awaited (see read-many.ts): queued now, so a later read on this connection sees it.
  void core.use((store) => store.write([{ namespace, entries: [entry], epoch: writeBack.epoch }], unlock));
  rememberInL1(core, target, raw, Date.now() + target.ttlMs, { version: writeBack.version, value });
  return value;
}

/** Redis is out: straight to the loader; if that fails too, the last value this process kept. */
async function loadWithoutStore<T>(core: CacheCore, target: Target<T>): Promise<T> {
  try {
    return await target.loader();
  } catch (error) {
    const kept = target.l1 ? core.l1?.get(target.key) : undefined;
    if (!kept) throw error;
    core.stats.record(target.namespace, 'stale');
    return valueOfL1Entry<T>(kept);
  }
}

function refreshInBackground<T>(core: CacheCore, target: Target<T>): void {
  const flight = `${target.key}\u0000refresh`;
  if (core.flights.has(flight)) return;
  void core.flights
    .run(flight, async () => {
      const token = newToken();
      const read = await core.use((store) =>
        store.readOrLock({
          ...target,
          lockToken: token,
          lockTtlMs: core.settings.lockTtlMs,
          lockOverValue: true,
          seedVersions: seedFor(target),
        }),
      );
      if (!read.ok || !read.value.locked) return;
      await loadAndStore(core, target, {
        seen: seenMark(read.value.raw),
        epoch: read.value.epoch,
        lockToken: token,
        version: read.value.version,
      });
    })
    .catch((error: unknown) =>
      core.log.debug({ err: error, key: target.key }, 'cache: background refresh failed'),
    );
}

/** Serialises once, and refuses (with one warning per namespace) what is over the size guard. */
export function encodeForStore(core: CacheCore, namespace: string, value: unknown, freshUntil: number) {
  const payload = serialise(value);
  const bytes = Buffer.byteLength(payload);
  if (bytes > core.settings.maxValueBytes) {
    core.stats.record(namespace, 'error');
    core.warnOnce(
      `size:${namespace}`,
      { namespace, bytes, limit: core.settings.maxValueBytes },
      'cache: value over CACHE_MAX_VALUE_BYTES not cached',
    );
    return undefined;
  }
  return encodeValue(payload, freshUntil);
}
