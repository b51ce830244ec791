import { Counter, Histogram, type Registry } from 'prom-client';
import type { SyncResult } from './sync-result.js';

export interface SyncMetrics {
  /** Adds the metrics to the service's registry (it exists only once the service is built). */
  register(registry: Registry): void;
  observe(result: SyncResult): void;
}

/** The old gateway's Prometheus names, kept so existing dashboards and alerts still work. */
export function createSyncMetrics(): SyncMetrics {
  const duration = new Histogram({
    name: 'telegram_gateway_sync_duration_seconds',
    help: 'Duration of a sync run in seconds, by run status',
    labelNames: ['status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [],
  });
  const fetched = new Counter({
    name: 'telegram_gateway_messages_fetched_total',
    help: 'Messages fetched from the source',
    registers: [],
  });
  const saved = new Counter({
    name: 'telegram_gateway_messages_saved_total',
    help: 'Messages stored (new ones; duplicates are not counted)',
    registers: [],
  });
  const queries = new Histogram({
    name: 'telegram_gateway_sync_queries',
    help: 'Database round trips per sync run',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [],
  });
  const channels = new Counter({
    name: 'telegram_gateway_channel_syncs_total',
    help: 'Channel syncs by outcome (synced, skipped, failed)',
    labelNames: ['outcome'] as const,
    registers: [],
  });
  return {
    register: (registry) => {
      registry.registerMetric(duration);
      registry.registerMetric(fetched);
      registry.registerMetric(saved);
      registry.registerMetric(queries);
      registry.registerMetric(channels);
    },
    observe: (result) => {
      duration.observe({ status: result.status }, result.durationMs / 1000);
      fetched.inc(result.totals.messagesSynced);
      saved.inc(result.totals.messagesSaved);
      queries.observe(result.queryCount);
      channels.inc({ outcome: 'synced' }, result.totals.synced);
      channels.inc({ outcome: 'skipped' }, result.totals.skipped);
      channels.inc({ outcome: 'failed' }, result.totals.failed);
    },
  };
}
