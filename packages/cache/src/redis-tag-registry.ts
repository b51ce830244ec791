import type { Keyspace } from './keyspace.js';
import type { Build } from './redis-commands.js';

/** Epochs and tag registries outlive any value (24 h presets) and any load in flight. */
export const BOOKKEEPING_TTL_MS = 7 * 24 * 3600 * 1000;

/** Records that `namespace` holds keys tagged `tag`, for `invalidateTag` to find. */
export const registerTag =
  (keys: Keyspace, tag: string, namespace: string): Build =>
  (pipeline) => {
    pipeline.sadd(keys.tagRegistryKey(tag), namespace);
    pipeline.pexpire(keys.tagRegistryKey(tag), BOOKKEEPING_TTL_MS);
  };
