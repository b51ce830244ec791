export type { NamespaceStats } from './cache-stats.js';
export { CacheTtl, type CacheTtlName } from './cache-ttl.js';
export { type Cache, type CreateCacheOptions, createCache, type SetOptions } from './create-cache.js';
export { type Cluster, createRedis, duplicateRedis, type Redis, type RedisClient } from './create-redis.js';
export { type CacheEnv, readCacheEnv } from './env.js';
export type { KeyPart } from './keyspace.js';
export {
  RATE_LIMIT_NAMESPACE,
  type RateDecision,
  type RateLimiter,
  type RateLimiterOptions,
} from './rate-limiter.js';
export type { GetManyOrLoadOptions } from './read-many.js';
export type { GetOrSetOptions } from './read-through.js';
