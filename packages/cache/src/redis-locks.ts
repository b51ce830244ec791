import type { CacheStore, ReadOrLock, ReadOrLockOptions } from './cache-store.js';
import type { Keyspace } from './keyspace.js';
import type { RedisCommands } from './redis-commands.js';
import { BOOKKEEPING_TTL_MS, registerTag } from './redis-tag-registry.js';
import { bucketOf, versionOf } from './version-buckets.js';

/** Load locks: a miss takes the key's lock in the round trip that read it; a holder releases it. */
export function createRedisLocks(
  { call, pipelines, scripted }: RedisCommands,
  keys: Keyspace,
): Pick<CacheStore, 'readOrLock' | 'unlock'> {
  return {
    async readOrLock(options: ReadOrLockOptions): Promise<ReadOrLock> {
      const {
        key,
        namespace,
        lockToken,
        lockTtlMs,
        tags,
        lockOverValue = false,
        seedVersions = '',
      } = options;
      const args = [
        key,
        keys.epochKey(namespace),
        keys.lockKey(key),
        keys.versionKey(namespace),
        lockToken,
        lockTtlMs,
        lockOverValue ? '1' : '0',
        seedVersions,
        BOOKKEEPING_TTL_MS,
      ] as const;
      let reply: [string, string, number, string];
      if (tags.length === 0) {
        reply = await call(() => scripted.meshReadOrLock(...args));
      } else {
        // The tag registry learns this namespace before the load, so an invalidation of the
        // tag that starts while we load bumps our epoch and our stale answer is not kept.
        const builds = tags.map((tag) => registerTag(keys, tag, namespace));
        const results = await pipelines([...builds, (pipeline) => pipeline.meshReadOrLock(...args)]);
        reply = results.at(-1) as [string, string, number, string];
      }
      const [raw, epoch, locked, versions] = reply;
      return {
        raw: raw === '' ? null : raw,
        epoch,
        locked: locked === 1,
        version: versionOf(versions, bucketOf(key)),
      };
    },

    async unlock(key, token) {
      await call(() => scripted.meshUnlock(keys.lockKey(key), token));
    },
  };
}
