import { recordStat } from '@mesh/telemetry';
import { trace } from '@opentelemetry/api';
import { Counter, Gauge, type Registry } from 'prom-client';

export type CacheResult = 'hit' | 'miss' | 'stale' | 'error';

export interface NamespaceStats {
  hits: number;
  misses: number;
  stale: number;
  errors: number;
  /** hits + stale over all lookups; 0 before the first. */
  hitRatio: number;
}

export interface CacheStats {
  /** Counts `count` lookups of a namespace; hits and misses also go to the active request's stats (the span). */
  record(namespace: string, result: CacheResult, count?: number): void;
  snapshot(): Record<string, NamespaceStats>;
  /** Exposes the counters (and whether Redis is in use) in a prom-client registry: `/metrics`. */
  register(registry: Registry, redisAvailable: () => boolean): void;
}

const field = { hit: 'hits', miss: 'misses', stale: 'stale', error: 'errors' } as const;

export function createCacheStats(service: string): CacheStats {
  const counts = new Map<string, Omit<NamespaceStats, 'hitRatio'>>();
  return {
    record(namespace, result, count = 1) {
      if (count <= 0) return;
      let entry = counts.get(namespace);
      if (!entry) {
        entry = { hits: 0, misses: 0, stale: 0, errors: 0 };
        counts.set(namespace, entry);
      }
      entry[field[result]] += count;
      if (result === 'hit' || result === 'stale') recordStat('cacheHits', count);
      if (result === 'miss') {
        recordStat('cacheMisses', count);
        // One event per missed lookup, with its namespace: the trace explorer's miss-storm finding.
        trace.getActiveSpan()?.addEvent('cache.miss', { 'cache.namespace': namespace, 'cache.keys': count });
      }
    },
    snapshot() {
      return Object.fromEntries(
        [...counts].map(([namespace, entry]) => {
          const lookups = entry.hits + entry.stale + entry.misses;
          return [
            namespace,
            { ...entry, hitRatio: lookups === 0 ? 0 : (entry.hits + entry.stale) / lookups },
          ];
        }),
      );
    },
    register(registry, redisAvailable) {
      // Read at scrape time from the counts above, so several caches never fight over one metric.
      new Counter({
        name: 'mesh_cache_lookups_total',
        help: 'Cache lookups by namespace and result (hit, miss, stale, error)',
        labelNames: ['cache', 'namespace', 'result'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const [namespace, entry] of counts) {
            for (const [result, name] of Object.entries(field)) {
              this.inc({ cache: service, namespace, result }, entry[name]);
            }
          }
        },
      });
      new Gauge({
        name: 'mesh_cache_redis_available',
        help: '1 while the cache uses Redis, 0 while its circuit breaker bypasses it',
        labelNames: ['cache'] as const,
        registers: [registry],
        collect() {
          this.set({ cache: service }, redisAvailable() ? 1 : 0);
        },
      });
    },
  };
}
