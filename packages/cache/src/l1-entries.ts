import type { CacheCore } from './cache-core.js';
import { decodeEntry, deserialise } from './entry.js';
import type { L1Entry } from './l1-cache.js';
import { copyPlain, isPlainData } from './plain-copy.js';
import { bucketOf } from './version-buckets.js';

/* What the read paths (read-many.ts, read-through.ts) share about L1 entries: filling one under its version, seeding versions, a caller's copy. */

/**
 * Keeps an entry in the L1 under `version`, the key's bucket version read in the same step
 * as the value (or before the load that produced it); nothing without one (a null version
 * validates nothing). `value` is the decoded value the caller got; the L1 keeps its own copy
 * when it is plain data, the stored text otherwise.
 */
export function rememberInL1(
  core: CacheCore,
  target: { key: string; namespace: string; tags: readonly string[]; l1: boolean; graceMs: number },
  raw: string,
  freshUntil: number,
  {
    version,
    value,
    bucket = bucketOf(target.key),
  }: { version: string | null; value: unknown; bucket?: number },
): void {
  const { l1 } = core;
  if (!target.l1 || !l1 || version === null) return;
  l1.set(target.key, {
    ...(isPlainData(value) ? { decoded: { value: copyPlain(value) } } : { raw }),
    freshUntil,
    expiresAt: freshUntil + target.graceMs,
    namespace: target.namespace,
    tags: target.tags,
    bucket,
    version,
  });
}

/**
 * Gives versions to namespaces a read found without any, so the next read can fill the L1.
 * Not awaited: the answer does not depend on it, and it is queued before any later read.
 */
export function seedVersions(core: CacheCore, namespaces: readonly string[]): void {
  void core.use((store) => store.seedVersions(namespaces));
}

/** An L1 entry's value for one caller: a copy of the decoded value, or decoded from its text. */
export function valueOfL1Entry<T>(entry: L1Entry): T {
  if (entry.decoded) return copyPlain(entry.decoded.value) as T;
  const decoded = decodeEntry(entry.raw ?? null);
  return deserialise<T>(decoded?.kind === 'value' ? decoded.payload : 'null');
}
