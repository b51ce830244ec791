import { randomBytes } from 'node:crypto';
import type { Logger } from '@mesh/telemetry';
import { Cluster } from 'ioredis';
import type { Registry } from 'prom-client';
import type { BusMessage } from './bus-message.js';
import { type CacheCore, createCacheCore } from './cache-core.js';
import type { NamespaceStats } from './cache-stats.js';
import { toMs } from './cache-ttl.js';
import { createRedis, type RedisClient } from './create-redis.js';
import { TOMBSTONE_MS } from './entry.js';
import type { CacheEnv } from './env.js';
import { applyToL1, startInvalidationBus } from './invalidation-bus.js';
import { createKeyspace, type KeyPart } from './keyspace.js';
import { createMemoryStore } from './memory-store.js';
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { type GetManyOrLoadOptions, getMany, getManyOrLoad } from './read-many.js';
import { encodeForStore, type GetOrSetOptions, getOrSet, resolveTarget } from './read-through.js';
import { createRedisStore } from './redis-store.js';

export interface CreateCacheOptions {
  /** The owning service: the first segment of every key. */
  service: string;
  env: CacheEnv;
  logger: Logger;
  /**
   * An in-process L1 for calls that pass `l1: true`. Every answer it gives is validated
   * against its key's bucket version in Redis, in the read's one round trip; messages on the
   * invalidation bus only drop entries early.
   */
  l1?: { maxEntries?: number; ttlSeconds?: number };
}

export interface SetOptions {
  ttl: number;
  tags?: readonly string[];
  grace?: number;
}

/** The shared cache of one service. Every key comes from `key()`. */
export interface Cache {
  readonly service: string;
  /** `redis` (shared by every instance) or `memory` (the in-process fallback, `REDIS_URL=`). */
  readonly mode: 'redis' | 'memory';
  /** The connection, for a service's own atomic scripts (null in memory mode). */
  readonly redis: RedisClient | null;
  /** `<service>:<namespace>:<parts>`. */
  key(namespace: string, ...parts: KeyPart[]): string;
  getOrSet<T>(key: string, loader: () => Promise<T>, options: GetOrSetOptions): Promise<T>;
  /** The fresh value, or undefined. */
  get<T>(key: string): Promise<T | undefined>;
  /** Replaces the value (write-through). */
  set<T>(key: string, value: T, options: SetOptions): Promise<void>;
  /** Invalidates keys: readers miss until a new value is loaded. */
  del(...keys: string[]): Promise<void>;
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  setMany<T>(entries: ReadonlyArray<{ key: string; value: T } & SetOptions>): Promise<void>;
  getManyOrLoad<T>(
    keys: readonly string[],
    load: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
    options: GetManyOrLoadOptions,
  ): Promise<Array<T | null>>;
  invalidateNamespace(namespace: string): Promise<number>;
  /** Keys of `namespace` whose parts match a Redis glob (`user:42:*` style, without the head). */
  invalidatePattern(namespace: string, pattern: string): Promise<number>;
  invalidateTag(tag: string): Promise<number>;
  rateLimiter(options: RateLimiterOptions): RateLimiter;
  /** Lookups by namespace since start: hits, misses, stale, errors, hit ratio. */
  stats(): Record<string, NamespaceStats>;
  /** Whether Redis is in use right now (false while the breaker bypasses it). */
  readonly available: boolean;
  /** Puts the cache's counters on a service's `/metrics`. */
  registerMetrics(registry: Registry): void;
  /** Readiness: resolves when Redis answers. Null in memory mode (nothing to reach). */
  readonly ping: (() => Promise<void>) | null;
  /** Removes every key of this service (tests; never needed in service code). */
  clear(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The cache a service uses: Redis from `REDIS_URL` (or a cluster from
 * `REDIS_CLUSTER_NODES`), or the in-process fallback when `REDIS_URL` is empty.
 */
export async function createCache(options: CreateCacheOptions): Promise<Cache> {
  const { service, env, logger } = options;
  const redis = createRedis(env);
  const keys = createKeyspace({ service, prefix: env.CACHE_KEY_PREFIX, cluster: redis instanceof Cluster });
  const store = redis ? createRedisStore(redis, keys) : createMemoryStore(keys);
  if (!redis)
    logger.warn({ cache: service }, 'cache: no REDIS_URL; using the in-process fallback (not shared)');
  const origin = randomBytes(6).toString('hex');
  const core = createCacheCore({ keys, store, env, log: logger, service, l1: options.l1, origin });
  await startInvalidationBus(core, origin).catch((error: unknown) =>
    logger.warn(
      { err: error, cache: service },
      'cache: invalidation bus not listening; L1 entries are still validated, invalidated ones re-read when met',
    ),
  );
  return buildCache(core, service, redis);
}

function buildCache(core: CacheCore, service: string, redis: RedisClient | null): Cache {
  const { keys, stats, store } = core;

  async function invalidate(message: BusMessage, run: () => Promise<number>, owe: () => void) {
    applyToL1(core, message);
    const outcome = await core.use(run);
    if (!outcome.ok) owe();
    await core.announce(message);
    return outcome.ok ? outcome.value : 0;
  }

  function invalidatePattern(namespace: string, pattern: string): Promise<number> {
    keys.head(namespace);
    return invalidate(
      { namespace, pattern },
      () => store.invalidateNamespace(namespace, pattern),
      () => core.owed.pattern(namespace, pattern),
    );
  }

  async function write(entries: ReadonlyArray<{ key: string; value: unknown } & SetOptions>) {
    const writes = entries.flatMap((entry) => {
      const namespace = keys.namespaceOf(entry.key);
      const graceMs = entry.grace === undefined ? core.settings.graceMs : toMs(entry.grace);
      const raw = encodeForStore(core, namespace, entry.value, Date.now() + toMs(entry.ttl));
      return raw === undefined
        ? []
        : [{ namespace, key: entry.key, raw, ttlMs: toMs(entry.ttl) + graceMs, tags: entry.tags ?? [] }];
    });
    const namespaces = [...new Set(writes.map((w) => w.namespace))];
    const groups = namespaces.map((namespace) => ({
      namespace,
      entries: writes.filter((w) => w.namespace === namespace),
    }));
    const written = entries.map((entry) => entry.key);
    await invalidate(
      { keys: written },
      async () => {
        await store.write(groups);
        return written.length;
      },
      () => core.owed.keys(written),
    );
  }

  return {
    service,
    mode: store.kind,
    redis,
    key: keys.key,
    getOrSet: (key, loader, options) => getOrSet(core, resolveTarget(core, key, loader, options)),
    async get<T>(key: string) {
      const [value] = await getMany<T>(core, [key]);
      return value;
    },
    set: (key, value, options) => write([{ key, value, ...options }]),
    async del(...found) {
      if (found.length === 0) return;
      for (const key of found) keys.namespaceOf(key);
      await invalidate(
        { keys: found },
        async () => {
          await store.tombstone(found, TOMBSTONE_MS);
          return found.length;
        },
        () => core.owed.keys(found),
      );
    },
    getMany: (found) => getMany(core, found),
    setMany: (entries) => write(entries),
    getManyOrLoad: (found, load, options) => getManyOrLoad(core, found, load, options),
    invalidateNamespace: (namespace) => invalidatePattern(namespace, '*'),
    invalidatePattern,
    invalidateTag: (tag) =>
      invalidate(
        { tag },
        () => store.invalidateTag(tag),
        () => core.owed.tag(tag),
      ),
    rateLimiter: (options) => createRateLimiter(core, options),
    stats: () => stats.snapshot(),
    get available() {
      return core.breaker === undefined || core.breaker.state === 'closed';
    },
    registerMetrics(registry) {
      stats.register(registry, () => store.kind === 'redis' && core.breaker?.state === 'closed');
    },
    ping: redis ? () => store.ping() : null,
    clear: () => store.clear(),
    close: () => store.close(),
  };
}
