import { recordStat } from '@mesh/telemetry';
import type { CacheStore } from './cache-store.js';
import { escapeGlob } from './glob.js';
import type { Keyspace } from './keyspace.js';
import { type RedisCommands, SCAN_COUNT } from './redis-commands.js';
import { BOOKKEEPING_TTL_MS } from './redis-tag-registry.js';

/**
 * Invalidation: each bumps the namespace epoch first (so loads in flight are not written
 * back), then removes keys, by SCAN of a pattern or by the members of a tag set.
 */
export function createRedisInvalidation(
  commands: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'invalidateNamespace' | 'invalidateTag' | 'clear'> {
  const { call, client, scan, scripted, unlinkAll } = commands;

  async function bumpEpoch(namespace: string): Promise<void> {
    await call(() => scripted.meshBumpEpoch(keys.epochKey(namespace), BOOKKEEPING_TTL_MS));
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
      }
      return removed;
    },

    async clear() {
      let removed = 0;
      const head = escapeGlob(keys.serviceHead);
      for (const pattern of [`${head}:*`, `{${head}:*`]) {
        for await (const batch of scan(pattern)) removed += await unlinkAll(batch);
      }
      return removed;
    },
  };
}
