import type { CacheStore, NamespaceWrite } from './cache-store.js';
import { encodeTombstone } from './entry.js';
import { groupBy } from './group-by.js';
import type { Keyspace } from './keyspace.js';
import type { Build, RedisCommands } from './redis-commands.js';
import { registerTag } from './redis-tag-registry.js';

/** One namespace's entries through the WRITE script (guarded or not, with their tag sets). */
function writeGroup(keys: Keyspace, { namespace, entries, epoch }: NamespaceWrite): Build {
  return (pipeline) => {
    const args: Array<string | number> = [
      epoch === undefined ? '0' : '1',
      epoch ?? '',
      keys.tagHead(namespace),
    ];
    for (const entry of entries) args.push(entry.seen ?? '', entry.raw, entry.ttlMs, entry.tags.join(','));
    pipeline.meshWrite(entries.length + 1, keys.epochKey(namespace), ...entries.map((e) => e.key), ...args);
  };
}

/** Writes (write-through and guarded write-back), with their tags, and tombstones. */
export function createRedisWrites(
  { pipelines }: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'write' | 'tombstone'> {
  return {
    async write(groups, unlock) {
      const builds: Build[] = groups
        .filter((group) => group.entries.length > 0)
        .map((group) => writeGroup(keys, group));
      // Tags written through (not read first) register their namespace here.
      const tagged = groups.filter((group) => group.epoch === undefined);
      for (const { namespace, entries } of tagged) {
        for (const tag of new Set(entries.flatMap((entry) => entry.tags)))
          builds.push(registerTag(keys, tag, namespace));
      }
      if (unlock) builds.push((pipeline) => pipeline.meshUnlock(keys.lockKey(unlock.key), unlock.token));
      if (builds.length > 0) await pipelines(builds);
    },

    async tombstone(found, ttlMs) {
      if (found.length === 0) return;
      await pipelines(
        groupBy(found, (key) => keys.namespaceOf(key)).map((group) => (pipeline) => {
          for (const key of group) pipeline.set(key, encodeTombstone(), 'PX', ttlMs);
        }),
      );
    },
  };
}
