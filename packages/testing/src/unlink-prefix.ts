import { Redis } from 'ioredis';
import { testEnv } from './env.js';

/** Removes every key of the test Redis starting with `prefix` (SCAN + UNLINK). */
export async function unlinkPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testEnv.REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
