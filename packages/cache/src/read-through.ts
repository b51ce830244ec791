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
import { copyPlain, isPlainData } from './plain-copy.js';

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
    if (entry && entry.freshUntil > Date.now() && core.l1Coherent()) {
      core.stats.record(target.namespace, 'hit');
      return valueOfL1Entry<T>(entry);
    }
  }
  return core.flights.run(target.key, () => readThrough(core, target));
}

async function readThrough<T>(core: CacheCore, target: Target<T>): Promise<T> {
  const { key, namespace, tags } = target;
  const token = newToken();
  // Taken before the read: an invalidation that lands while it is on its way keeps its value out of the L1.
  const since = core.l1?.generation;
  const read = await core.use((store) =>
    store.readOrLock({ key, namespace, lockToken: token, lockTtlMs: core.settings.lockTtlMs, tags }),
  );
  if (!read.ok) {
    core.stats.record(namespace, 'error');
    return loadWithoutStore(core, target);
  }
  const { raw, epoch, locked } = read.value;
  const entry = decodeEntry(raw);
  if (entry?.kind === 'value') {
    const value = deserialise<T>(entry.payload);
    remember(core, target, raw as string, entry.freshUntil, { since, value });
    if (entry.freshUntil > Date.now()) {
      core.stats.record(namespace, 'hit');
    } else {
      core.stats.record(namespace, 'stale');
      refreshInBackground(core, target);
    }
    return value;
  }
  core.stats.record(namespace, 'miss');
  if (locked) return loadAndStore(core, target, { seen: seenMark(raw), epoch, lockToken: token, since });
  return waitForHolder(core, target, epoch, since);
}

/** Another process holds the load lock: poll for its value, take over if it goes away. */
async function waitForHolder<T>(
  core: CacheCore,
  target: Target<T>,
  epoch: string,
  since: number | undefined,
): Promise<T> {
  const deadline = Date.now() + core.settings.lockWaitMs;
  let pause = 5;
  let lastRaw: string | null = null;
  while (Date.now() < deadline) {
    await sleep(pause);
    pause = Math.min(pause * 2, 50);
    const peek = await core.use((store) => store.peek(target.key));
    if (!peek.ok) return loadWithoutStore(core, target);
    lastRaw = peek.value.raw;
    const entry = decodeEntry(lastRaw);
    if (entry?.kind === 'value') {
      const value = deserialise<T>(entry.payload);
      remember(core, target, lastRaw as string, entry.freshUntil, { since, value });
      return value;
    }
    if (!peek.value.locked) {
      // The holder failed or died without a value: the next one to get here loads.
      const token = newToken();
      const again = await core.use((store) =>
        store.readOrLock({ ...target, lockToken: token, lockTtlMs: core.settings.lockTtlMs }),
      );
      if (!again.ok) return loadWithoutStore(core, target);
      const found = decodeEntry(again.value.raw);
      if (found?.kind === 'value') return deserialise<T>(found.payload);
      if (again.value.locked) {
        return loadAndStore(core, target, {
          seen: seenMark(again.value.raw),
          epoch: again.value.epoch,
          lockToken: token,
          since,
        });
      }
    }
  }
  // Waited long enough: load ourselves; the guarded write-back keeps whichever came first.
  return loadAndStore(core, target, { seen: seenMark(lastRaw), epoch, since });
}

interface WriteBack {
  seen: string;
  epoch: string;
  lockToken?: string;
  /** The L1 generation before the read (see `L1Cache.generation`). */
  since: number | undefined;
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
  remember(core, target, raw, Date.now() + target.ttlMs, { since: writeBack.since, value });
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
      const since = core.l1?.generation;
      const read = await core.use((store) =>
        store.readOrLock({
          ...target,
          lockToken: token,
          lockTtlMs: core.settings.lockTtlMs,
          lockOverValue: true,
        }),
      );
      if (!read.ok || !read.value.locked) return;
      await loadAndStore(core, target, {
        seen: seenMark(read.value.raw),
        epoch: read.value.epoch,
        lockToken: token,
        since,
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

/**
 * Keeps an entry in the L1, unless an invalidation reached the L1 since `since` (the
 * generation taken before the read or load that produced it): that value may be the very
 * one invalidated, and no later message would drop it. `value` is the decoded value the
 * caller got; the L1 keeps its own copy when it is plain data.
 */
function remember(
  core: CacheCore,
  target: { key: string; namespace: string; tags: readonly string[]; l1: boolean; graceMs: number },
  raw: string,
  freshUntil: number,
  { since, value }: { since: number | undefined; value?: unknown },
): void {
  const { l1 } = core;
  if (!target.l1 || !l1 || !core.l1Coherent() || l1.generation !== since) return;
  l1.set(target.key, {
    raw,
    ...(value !== undefined && isPlainData(value) ? { decoded: { value: copyPlain(value) } } : {}),
    freshUntil,
    expiresAt: freshUntil + target.graceMs,
    namespace: target.namespace,
    tags: target.tags,
  });
}

export { remember as rememberInL1 };

/** An L1 entry's value for one caller: a copy of the decoded value, or decoded from its text. */
export function valueOfL1Entry<T>(entry: L1Entry): T {
  if (entry.decoded) return copyPlain(entry.decoded.value) as T;
  const decoded = decodeEntry(entry.raw);
  return deserialise<T>(decoded?.kind === 'value' ? decoded.payload : 'null');
}
