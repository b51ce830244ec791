import type { Keyspace } from './keyspace.js';
import type { Build } from './redis-commands.js';
import { BOOKKEEPING_TTL_MS } from './redis-tag-registry.js';
import { bucketsOf, newVersions, newVersionToken, VERSION_WIDTH } from './version-buckets.js';

/** For the scripts' `move_versions`: (offset, new token) for the bucket of each of these keys. */
export function versionMoves(of: readonly string[]): Array<string | number> {
  return bucketsOf(of).flatMap((bucket) => [bucket * VERSION_WIDTH, newVersionToken()]);
}

/**
 * A whole new version string for a namespace: `XX`, only where one exists (every bucket
 * moves; a namespace with none validates nothing), or `NX`, only where none does (a
 * reader's seed).
 */
export const setVersions =
  (keys: Keyspace, namespace: string, mode: 'XX' | 'NX'): Build =>
  (pipeline) => {
    if (mode === 'XX')
      pipeline.set(keys.versionKey(namespace), newVersions(), 'PX', BOOKKEEPING_TTL_MS, 'XX');
    else pipeline.set(keys.versionKey(namespace), newVersions(), 'PX', BOOKKEEPING_TTL_MS, 'NX');
  };
