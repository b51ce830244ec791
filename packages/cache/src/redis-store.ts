import { recordStat } from '@mesh/telemetry';
import { type ChainableCommander, Cluster, type Redis } from 'ioredis';
import type {
  CacheStore,
  NamespaceRead,
  NamespaceWrite,
  ReadOrLock,
  ReadOrLockOptions,
} from './cache-store.js';
import type { RedisClient } from './create-redis.js';
import { encodeTombstone } from './entry.js';
import { escapeGlob } from './glob.js';
import { groupBy } from './group-by.js';
import type { Keyspace } from './keyspace.js';
import { BUMP_EPOCH, HIT_WINDOWS, READ_OR_LOCK, UNLOCK, WRITE } from './redis-scripts.js';

/** Keys removed per UNLINK while invalidating. */
const UNLINK_BATCH = 500;
/** Keys SCAN looks at per call (a hint to Redis, not a limit). */
const SCAN_COUNT = 1000;
/** Epochs and tag registries outlive any value (24 h presets) and any load in flight. */
const BOOKKEEPING_TTL_MS = 7 * 24 * 3600 * 1000;

interface Scripts {
  meshReadOrLock(...args: Array<string | number>): Promise<[string, string, number]>;
  meshWrite(...args: Array<string | number>): Promise<number>;
  meshUnlock(...args: string[]): Promise<number>;
  meshBumpEpoch(...args: Array<string | number>): Promise<number>;
  meshHitWindows(...args: Array<string | number>): Promise<number[]>;
}
type ScriptedPipeline = ChainableCommander & {
  [K in keyof Scripts]: (...args: Parameters<Scripts[K]>) => ScriptedPipeline;
};
type Build = (pipeline: ScriptedPipeline) => void;

/** The cache's entries in Redis (or a Redis Cluster), through `client`, which it owns. */
export function createRedisStore(client: RedisClient, keys: Keyspace): CacheStore {
  client.defineCommand('meshReadOrLock', { numberOfKeys: 3, lua: READ_OR_LOCK });
  client.defineCommand('meshWrite', { lua: WRITE });
  client.defineCommand('meshUnlock', { numberOfKeys: 1, lua: UNLOCK });
  client.defineCommand('meshBumpEpoch', { numberOfKeys: 1, lua: BUMP_EPOCH });
  client.defineCommand('meshHitWindows', { lua: HIT_WINDOWS });
  const scripted = client as RedisClient & Scripts;
  const cluster = client instanceof Cluster;
  let subscriber: RedisClient | undefined;

  /** One round trip on a single Redis; one pipeline per namespace (in parallel) on a cluster. */
  async function pipelines(builds: readonly Build[]): Promise<unknown[]> {
    const batches = cluster ? builds.map((build) => [build]) : [builds];
    const results = await Promise.all(
      batches.map(async (batch) => {
        const pipeline = client.pipeline() as ScriptedPipeline;
        for (const build of batch) build(pipeline);
        recordStat('redisRoundTrips');
        return (await pipeline.exec()) ?? [];
      }),
    );
    return results.flat().map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  async function call<T>(command: () => Promise<T>): Promise<T> {
    recordStat('redisRoundTrips');
    return command();
  }

  /** Every key matching `pattern`, a SCAN batch at a time, on every master of a cluster. */
  async function* scan(pattern: string): AsyncGenerator<string[]> {
    const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
    for (const node of nodes) {
      for await (const batch of node.scanStream({ match: pattern, count: SCAN_COUNT })) {
        recordStat('redisRoundTrips');
        yield batch as string[];
      }
    }
  }

  async function unlinkAll(found: readonly string[]): Promise<number> {
    for (let start = 0; start < found.length; start += UNLINK_BATCH) {
      const batch = found.slice(start, start + UNLINK_BATCH);
      // On a cluster a batch can mix slots (clear()); one UNLINK per key keeps it legal.
      if (cluster) await Promise.all(batch.map((key) => call(() => client.unlink(key))));
      else await call(() => client.unlink(...batch));
    }
    return found.length;
  }

  /** Records that `namespace` holds keys tagged `tag`, for `invalidateTag` to find. */
  const registerTag =
    (tag: string, namespace: string): Build =>
    (pipeline) => {
      pipeline.sadd(keys.tagRegistryKey(tag), namespace);
      pipeline.pexpire(keys.tagRegistryKey(tag), BOOKKEEPING_TTL_MS);
    };

  async function bumpEpoch(namespace: string): Promise<void> {
    await call(() => scripted.meshBumpEpoch(keys.epochKey(namespace), BOOKKEEPING_TTL_MS));
  }

  return {
    kind: 'redis',
    ready: () => client.status === 'ready',

    async read(groups) {
      if (groups.length === 0) return [];
      const results = await pipelines(
        groups.map(
          ({ namespace, keys: groupKeys }) =>
            (pipeline) =>
              pipeline.mget(...groupKeys, keys.epochKey(namespace)),
        ),
      );
      return results.map((values): NamespaceRead => {
        const raws = values as Array<string | null>;
        return { raws: raws.slice(0, -1), epoch: raws.at(-1) ?? '0' };
      });
    },

    async readOrLock(options: ReadOrLockOptions): Promise<ReadOrLock> {
      const { key, namespace, lockToken, lockTtlMs, tags, lockOverValue = false } = options;
      const args = [
        key,
        keys.epochKey(namespace),
        keys.lockKey(key),
        lockToken,
        lockTtlMs,
        lockOverValue ? '1' : '0',
      ] as const;
      let reply: [string, string, number];
      if (tags.length === 0) {
        reply = await call(() => scripted.meshReadOrLock(...args));
      } else {
        // The tag registry learns this namespace before the load, so an invalidation of the
        // tag that starts while we load bumps our epoch and our stale answer is not kept.
        const builds = tags.map((tag) => registerTag(tag, namespace));
        const results = await pipelines([...builds, (pipeline) => pipeline.meshReadOrLock(...args)]);
        reply = results.at(-1) as [string, string, number];
      }
      const [raw, epoch, locked] = reply;
      return { raw: raw === '' ? null : raw, epoch, locked: locked === 1 };
    },

    async peek(key) {
      const [raw, lock] = await call(() => client.mget(key, keys.lockKey(key)));
      return { raw: raw ?? null, locked: lock !== null && lock !== undefined };
    },

    async write(groups: readonly NamespaceWrite[], unlock) {
      const builds: Build[] = groups
        .filter((group) => group.entries.length > 0)
        .map(({ namespace, entries, epoch }) => (pipeline) => {
          const args: Array<string | number> = [
            epoch === undefined ? '0' : '1',
            epoch ?? '',
            keys.tagHead(namespace),
          ];
          for (const entry of entries)
            args.push(entry.seen ?? '', entry.raw, entry.ttlMs, entry.tags.join(','));
          pipeline.meshWrite(
            entries.length + 1,
            keys.epochKey(namespace),
            ...entries.map((e) => e.key),
            ...args,
          );
        });
      // Tags written through (not read first) register their namespace here.
      const tagged = groups.filter((group) => group.epoch === undefined);
      for (const { namespace, entries } of tagged) {
        for (const tag of new Set(entries.flatMap((entry) => entry.tags)))
          builds.push(registerTag(tag, namespace));
      }
      if (unlock) builds.push((pipeline) => pipeline.meshUnlock(keys.lockKey(unlock.key), unlock.token));
      if (builds.length > 0) await pipelines(builds);
    },

    async unlock(key, token) {
      await call(() => scripted.meshUnlock(keys.lockKey(key), token));
    },

    async tombstone(found, ttlMs) {
      if (found.length === 0) return;
      await pipelines(
        groupBy(found, (key) => keys.namespaceOf(key)).map((group) => (pipeline) => {
          for (const key of group) pipeline.set(key, encodeTombstone(), 'PX', ttlMs);
        }),
      );
    },

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

    async hitWindows(windowKeys, windowMs) {
      if (windowKeys.length === 0) return [];
      return call(() => scripted.meshHitWindows(windowKeys.length, ...windowKeys, windowMs));
    },

    async publish(message) {
      await call(() => client.publish(keys.channel, message));
    },

    async subscribe(onMessage, onConnected) {
      const connection = client.duplicate();
      subscriber = connection;
      connection.on('error', () => {});
      connection.on('message', (channel: string, message: string) => {
        if (channel === keys.channel) onMessage(message);
      });
      connection.on('close', () => onConnected(false));
      // ioredis subscribes again by itself after a reconnect, before it reports ready.
      connection.on('ready', () => onConnected(true));
      await connection.subscribe(keys.channel);
      onConnected(true);
    },

    async clear() {
      let removed = 0;
      const head = escapeGlob(keys.serviceHead);
      for (const pattern of [`${head}:*`, `{${head}:*`]) {
        for await (const batch of scan(pattern)) removed += await unlinkAll(batch);
      }
      return removed;
    },

    async ping() {
      await call(() => client.ping());
    },

    async close() {
      await Promise.allSettled([subscriber?.quit(), client.quit()]);
    },
  };
}
