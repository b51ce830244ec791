import type { CacheStore, NamespaceWrite } from './cache-store.js';
import { encodeTombstone } from './entry.js';
import { groupBy } from './group-by.js';
import type { Keyspace } from './keyspace.js';
import type { Build, RedisCommands } from './redis-commands.js';
import { BOOKKEEPING_TTL_MS, registerTag } from './redis-tag-registry.js';
import { setVersions, versionMoves } from './redis-versions.js';
import { VERSIONS_LENGTH } from './version-buckets.js';

/**
 * One namespace's entries through the WRITE script (guarded or not, with their tag sets); a
 * write-through also moves its keys' bucket versions in the same script.
 */
function writeGroup(keys: Keyspace, { namespace, entries, epoch }: NamespaceWrite): Build {
  return (pipeline) => {
    const entryKeys = entries.map((entry) => entry.key);
    const throughKeys = epoch === undefined ? [keys.versionKey(namespace)] : [];
    const args: Array<string | number> = [
      epoch === undefined ? '0' : '1',
      epoch ?? '',
      keys.tagHead(namespace),
      entries.length,
      BOOKKEEPING_TTL_MS,
      VERSIONS_LENGTH,
    ];
    for (const entry of entries) args.push(entry.seen ?? '', entry.raw, entry.ttlMs, entry.tags.join(','));
    if (epoch === undefined) args.push(...versionMoves(entryKeys));
    const scriptKeys = [keys.epochKey(namespace), ...entryKeys, ...throughKeys];
    pipeline.meshWrite(scriptKeys.length, ...scriptKeys, ...args);
  };
}

/** Writes (write-through and guarded write-back), with their tags, and tombstones, with their versions. */
export function createRedisWrites(
  { pipelines }: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'write' | 'tombstone'> {
  return {
    async write(groups, unlock) {
      const builds: Build[] = groups
        .filter((group) => group.entries.length > 0)
        .map((group) => writeGroup(keys, group));
      for (const { namespace, seed } of groups) if (seed) builds.push(setVersions(keys, namespace, 'NX'));
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
          const namespace = keys.namespaceOf(group[0] as string);
          pipeline.meshTombstone(
            group.length + 1,
            ...group,
            keys.versionKey(namespace),
            group.length,
            ttlMs,
            BOOKKEEPING_TTL_MS,
            VERSIONS_LENGTH,
            ...group.map(() => encodeTombstone()),
            ...versionMoves(group),
          );
        }),
      );
    },
  };
}
