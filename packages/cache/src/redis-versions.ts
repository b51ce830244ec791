import type { Keyspace } from './keyspace.js';
import type { Build } from './redis-commands.js';
import { BOOKKEEPING_TTL_MS } from './redis-tag-registry.js';
import { bucketsOf, newVersionToken } from './version-buckets.js';

/** The version keys of the buckets of some keys of one namespace, each with a new token. */
export function newVersionsFor(keys: Keyspace, namespace: string, of: readonly string[]) {
  const versionKeys = bucketsOf(of).map((bucket) => keys.versionKey(namespace, bucket));
  return { versionKeys, tokens: versionKeys.map(() => newVersionToken()) };
}

/**
 * New tokens on these buckets of a namespace: `XX`, only where a version exists (replacing
 * it; a bucket with none validates nothing), or `NX`, only where none does (a reader's seed).
 */
export const setVersions =
  (keys: Keyspace, namespace: string, buckets: readonly number[], mode: 'XX' | 'NX'): Build =>
  (pipeline) => {
    for (const bucket of buckets) {
      const versionKey = keys.versionKey(namespace, bucket);
      if (mode === 'XX') pipeline.set(versionKey, newVersionToken(), 'PX', BOOKKEEPING_TTL_MS, 'XX');
      else pipeline.set(versionKey, newVersionToken(), 'PX', BOOKKEEPING_TTL_MS, 'NX');
    }
  };
