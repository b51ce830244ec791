export { createTestCache, type TestCacheOptions, testKeyPrefix } from './create-test-cache.js';
export { type OwnRedis, startOwnRedis } from './own-redis.js';
