// A child process for the cross-process stampede test: it opens its own cache on the
// given prefix, says "ready", waits for "go" on stdin, then makes `calls` concurrent
// misses of one key. Its loader counts itself in Redis, so the parent sees every load
// of every process.
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@mesh/telemetry';
import { createCache } from '../create-cache.js';
import { readCacheEnv } from '../env.js';

const [prefix = '', calls = '100'] = process.argv.slice(2);
const cache = await createCache({
  service: 'stampede',
  env: { ...readCacheEnv(), CACHE_KEY_PREFIX: prefix },
  logger: createLogger({ name: 'stampede-worker', level: 'silent' }),
});
const redis = cache.redis;
if (!redis) throw new Error('the stampede worker needs Redis');

const loader = async () => {
  await redis.incr(cache.key('counter', 'loads'));
  await sleep(300);
  return { answer: 42, by: process.pid };
};

process.stdout.write('ready\n');
await once(process.stdin, 'data');
const results = await Promise.all(
  Array.from({ length: Number(calls) }, () => cache.getOrSet(cache.key('hot', 'key'), loader, { ttl: 60 })),
);
const misses = cache.stats().hot?.misses ?? 0;
process.stdout.write(`${JSON.stringify({ answers: [...new Set(results.map((r) => r.answer))], misses })}\n`);
await cache.close();
