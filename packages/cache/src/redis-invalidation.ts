import { recordStat } from '@mesh/telemetry';
import type { CacheStore } from './cache-store.js';
import { escapeGlob } from './glob.js';
import type { Keyspace } from './keyspace.js';
import { type RedisCommands, SCAN_COUNT } from './redis-commands.js';
import { BOOKKEEPING_TTL_MS } from './redis-tag-registry.js';
import { setVersions } from './redis-versions.js';

/**
 * Invalidation: each bumps the namespace epoch first (so loads in flight are not written
 * back), then removes keys, by SCAN of a pattern or by the members of a tag set, then gives
 * the namespace a whole new version string. Last, not first: a reader between a first
 * move and the UNLINK of its key would read the old value beside the new version and keep
 * it in its L1 under that version; after the last step every value it could have read is
 * gone and every version it could have read replaced.
 */
export function createRedisInvalidation(
  commands: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'invalidateNamespace' | 'invalidateTag' | 'clear'> {
  const { call, client, pipelines, scan, scripted, unlinkAll } = commands;

  async function bumpEpoch(namespace: string): Promise<void> {
    await call(() => scripted.meshBumpEpoch(keys.epochKey(namespace), BOOKKEEPING_TTL_MS));
  }

  async function replaceVersions(namespace: string): Promise<void> {
    await pipelines([setVersions(keys, namespace, 'XX')]);
  }

  /** The namespace of a key of this service, or undefined (the other key form, the tag registry). */
  function namespaceIn(key: string): string | undefined {
    try {
      const namespace = keys.namespaceOf(key);
      keys.head(namespace); // throws for what is no namespace (`~tags`)
      return namespace;
    } catch {
      return undefined;
    }
  }

  return {
    async invalidateNamespace(namespace, pattern) {
      // Epoch first: a load that read before this point cannot write back, and anything
      // written back before it is already in Redis for the SCAN below to find.
      await bumpEpoch(namespace);
      let removed = 0;
      const everything = pattern === '*';
      for await (const batch of scan(`${escapeGlob(keys.head(namespace))}:${pattern}`)) {
        const doomed = batch.filter((key) => !keys.isMeta(key) || (everything && key.includes(':~tag:')));
        removed += await unlinkAll(doomed);
      }
      await replaceVersions(namespace);
      return removed;
    },

    async invalidateTag(tag) {
      const registry = keys.tagRegistryKey(tag);
      const namespaces = await call(() => client.smembers(registry));
      let removed = 0;
      for (const namespace of namespaces) {
        await bumpEpoch(namespace);
        const set = `${keys.tagHead(namespace)}${tag}`;
        for await (const batch of client.sscanStream(set, { count: SCAN_COUNT })) {
          recordStat('redisRoundTrips');
          removed += await unlinkAll(batch as string[]);
        }
        await call(() => client.unlink(set));
        await replaceVersions(namespace);
      }
      return removed;
    },

    async clear() {
      let removed = 0;
      const seen = new Set<string>();
      const head = escapeGlob(keys.serviceHead);
      for (const pattern of [`${head}:*`, `{${head}:*`]) {
        for await (const batch of scan(pattern)) {
          for (const key of batch) {
            const namespace = namespaceIn(key);
            if (namespace !== undefined) seen.add(namespace);
          }
          removed += await unlinkAll(batch);
        }
      }
      // A reader that found the versions gone while the values were still there may have set
      // new ones and read an old value beside them; those versions go too.
      for (const namespace of seen) removed += await call(() => client.unlink(keys.versionKey(namespace)));
      return removed;
    },
  };
}
