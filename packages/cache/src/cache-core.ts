import type { Logger } from '@mesh/telemetry';
import type { BusMessage } from './bus-message.js';
import { type CacheStats, createCacheStats } from './cache-stats.js';
import type { CacheStore } from './cache-store.js';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import type { CacheEnv } from './env.js';
import type { Keyspace } from './keyspace.js';
import { createL1Cache, type L1Cache } from './l1-cache.js';
import { createOwedInvalidations, type OwedInvalidations } from './owed-invalidations.js';
import { createSingleFlight, type SingleFlight } from './single-flight.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false };

export interface CacheSettings {
  maxValueBytes: number;
  graceMs: number;
  lockTtlMs: number;
  lockWaitMs: number;
}

/** What the cache's parts share: one store, one breaker, one set of counters. */
export interface CacheCore {
  keys: Keyspace;
  store: CacheStore;
  stats: CacheStats;
  settings: CacheSettings;
  log: Logger;
  /** Present when the caller configured an L1 and there is a Redis to validate its entries against. */
  l1: L1Cache | undefined;
  flights: SingleFlight;
  breaker: CircuitBreaker | undefined;
  owed: OwedInvalidations;
  /**
   * Runs a store operation unless the breaker says Redis is out; `{ ok: false }` (and a
   * counted failure) when it fails. The in-process store never fails.
   */
  use<T>(operation: (store: CacheStore) => Promise<T>): Promise<Outcome<T>>;
  /** Tells the other instances' L1s what was invalidated (no-op without an L1). */
  announce(message: BusMessage): Promise<void>;
  /** Warns once per namespace about something odd (an oversized value). */
  warnOnce(topic: string, detail: Record<string, unknown>, message: string): void;
}

export interface CreateCacheCoreOptions {
  keys: Keyspace;
  store: CacheStore;
  env: CacheEnv;
  log: Logger;
  service: string;
  l1?: { maxEntries?: number; ttlSeconds?: number };
  /** Identifies this instance's own bus messages. */
  origin: string;
}

export function createCacheCore(options: CreateCacheCoreOptions): CacheCore {
  const { keys, store, env, log, origin } = options;
  const owed = createOwedInvalidations();
  const warned = new Set<string>();
  let everReady = false;
  const l1 =
    options.l1 && store.kind === 'redis'
      ? createL1Cache({
          maxEntries: options.l1.maxEntries ?? 10_000,
          ttlMs: (options.l1.ttlSeconds ?? 60) * 1000,
        })
      : undefined;

  const breaker =
    store.kind === 'redis'
      ? createCircuitBreaker({
          failures: env.CACHE_BREAKER_FAILURES,
          cooldownMs: env.CACHE_BREAKER_COOLDOWN_MS,
          // Redis is back once it answers and every invalidation owed to it has landed,
          // so no reader can find a value that was invalidated during the outage.
          probe: async () => {
            await store.ping();
            const settled = await owed.settle(store);
            if (l1) for (const message of settled) await publish(message);
          },
          onOpen: (error) =>
            log.warn(
              { err: error, cache: options.service },
              'cache: Redis unavailable; calls go straight to their loaders until it is back',
            ),
          onClose: () => log.info({ cache: options.service }, 'cache: Redis is back; caching again'),
        })
      : undefined;

  async function use<T>(operation: (store: CacheStore) => Promise<T>): Promise<Outcome<T>> {
    if (!breaker) return { ok: true, value: await operation(store) };
    if (!breaker.allow()) return { ok: false };
    everReady ||= store.ready();
    // Before the first connection commands queue briefly (bounded by the command timeout);
    // after it, a dropped connection fails at once rather than making callers wait.
    if (everReady && !store.ready()) {
      breaker.failure(new Error('Redis connection is down'));
      return { ok: false };
    }
    try {
      const value = await operation(store);
      breaker.success();
      return { ok: true, value };
    } catch (error) {
      breaker.failure(error);
      return { ok: false };
    }
  }

  async function publish(message: BusMessage): Promise<void> {
    await store.publish(JSON.stringify({ ...message, origin }));
  }

  return {
    keys,
    store,
    stats: createCacheStats(options.service),
    settings: {
      maxValueBytes: env.CACHE_MAX_VALUE_BYTES,
      graceMs: env.CACHE_STALE_GRACE_S * 1000,
      lockTtlMs: env.CACHE_LOCK_TTL_MS,
      lockWaitMs: env.CACHE_LOCK_WAIT_MS,
    },
    log,
    l1,
    flights: createSingleFlight(),
    breaker,
    owed,
    use,
    async announce(message) {
      if (!l1) return;
      await use(() => publish(message));
    },
    warnOnce(topic, detail, message) {
      if (warned.has(topic)) return;
      warned.add(topic);
      log.warn({ cache: options.service, ...detail }, message);
    },
  };
}
