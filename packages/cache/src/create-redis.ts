import { Redis } from 'ioredis';
import type { CacheEnv } from './env.js';

export type { Redis } from 'ioredis';

/**
 * An ioredis connection that fails fast instead of queueing when Redis is away (a cache
 * must never make a caller wait for it), and reconnects by itself with capped backoff.
 */
export function createRedis(env: CacheEnv): Redis | null {
  if (env.REDIS_URL === null) return null;
  return new Redis(env.REDIS_URL, {
    commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    lazyConnect: false,
  });
}
