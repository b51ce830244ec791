import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '@mesh/telemetry';
import { type Cache, type CreateCacheOptions, createCache } from '../create-cache.js';
import { type CacheEnv, readCacheEnv } from '../env.js';

export interface TestCacheOptions {
  service?: string;
  /** Settings over the test defaults (the real Redis, a fresh key prefix). */
  env?: Partial<CacheEnv>;
  l1?: CreateCacheOptions['l1'];
  logger?: Logger;
}

/** A key prefix of its own for one test file, so parallel files never share keys. */
export function testKeyPrefix(): string {
  return `test-${randomBytes(5).toString('hex')}:`;
}

/**
 * A cache on the real Redis (REDIS_URL, or the laptop default) under a fresh key prefix.
 * Disposing it removes every key it made, then closes it.
 */
export async function createTestCache(
  options: TestCacheOptions = {},
): Promise<Cache & AsyncDisposable & { keyPrefix: string }> {
  const env = { ...readCacheEnv(), CACHE_KEY_PREFIX: testKeyPrefix(), ...options.env };
  const cache = await createCache({
    service: options.service ?? 'test',
    env,
    logger: options.logger ?? createLogger({ name: 'cache-test', level: 'silent' }),
    l1: options.l1,
  });
  return Object.assign(cache, {
    keyPrefix: env.CACHE_KEY_PREFIX,
    async [Symbol.asyncDispose]() {
      await cache.clear().catch(() => 0);
      await cache.close();
    },
  });
}
