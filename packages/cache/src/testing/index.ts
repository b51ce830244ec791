export { createTestCache, type TestCacheOptions, testKeyPrefix } from './create-test-cache.js';
export { type OwnRedis, startOwnRedis } from './own-redis.js';
export { type OwnRedisCluster, startOwnRedisCluster } from './own-redis-cluster.js';
