import { type Cache, duplicateRedis } from '@mesh/cache';
import type { Logger } from '@mesh/telemetry';

/**
 * "The dashboard changed", across replicas: a write publishes on a Redis channel of the
 * service, every replica hears it (its own writes too) and, after `debounceMs` of quiet,
 * wakes its subscribers once. A burst of writes becomes one push. In memory mode only
 * this process's writes are heard, which is all there is.
 */
export interface DashboardFeed {
  /** Announces a change (after the figures were invalidated). */
  changed(): void;
  /** Resolves at each debounced change until `signal` aborts. */
  changes(signal?: AbortSignal): AsyncIterable<void>;
  close(): Promise<void>;
}

export async function createDashboardFeed({
  cache,
  debounceMs,
  logger,
}: {
  cache: Cache;
  debounceMs: number;
  logger: Logger;
}): Promise<DashboardFeed> {
  const channel = cache.key('dashboard-feed', 'changed');
  const waiters = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;

  const wake = () => {
    timer = undefined;
    for (const waiter of [...waiters]) waiter();
  };
  const heard = () => {
    clearTimeout(timer);
    timer = setTimeout(wake, debounceMs);
  };

  const subscriber = cache.redis ? duplicateRedis(cache.redis) : undefined;
  if (subscriber) {
    subscriber.on('error', (error: unknown) => logger.debug({ err: error }, 'dashboard feed: redis error'));
    subscriber.on('message', heard);
    await subscriber.subscribe(channel).catch((error: unknown) => {
      logger.warn({ err: error }, 'dashboard feed: not subscribed; pushes follow this replica’s writes only');
    });
  }

  return {
    changed() {
      heard(); // this replica at once, whether or not Redis carries the message
      cache.redis?.publish(channel, '1').catch(() => undefined);
    },
    async *changes(signal) {
      let dirty = false;
      let release: (() => void) | undefined;
      const waiter = () => {
        dirty = true;
        release?.();
      };
      const aborted = () => release?.();
      waiters.add(waiter);
      signal?.addEventListener('abort', aborted);
      try {
        while (!signal?.aborted) {
          if (!dirty) await new Promise<void>((resolve) => (release = resolve));
          release = undefined;
          if (signal?.aborted) return;
          if (!dirty) continue;
          dirty = false;
          yield;
        }
      } finally {
        waiters.delete(waiter);
        signal?.removeEventListener('abort', aborted);
      }
    },
    async close() {
      clearTimeout(timer);
      waiters.clear();
      subscriber?.disconnect();
    },
  };
}
