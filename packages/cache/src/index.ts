export { createRedis, type Redis } from './create-redis.js';
export { type CacheEnv, readCacheEnv } from './env.js';
