import { join } from 'node:path';
import { findOnPath } from './find-on-path.js';
import { freePort } from './free-port.js';
import type { Output } from './output.js';
import { redactUrl } from './redact-url.js';
import { startRedis } from './start-redis.js';

export interface ProvidedRedis {
  /** For the services; `''` means no Redis (their in-process fallback). */
  url: string;
  summary: string;
  exited?: Promise<unknown>;
  stop?: () => Promise<void>;
}

export interface ProvideRedisOptions {
  /** REDIS_URL: unset, empty (no Redis on purpose) or a URL. */
  redisUrl: string | undefined;
  /** PATH, to find redis-server. */
  path: string;
  stateDir: string;
  output: Output;
}

/** REDIS_URL when set; else a redis-server from the PATH on a free port; else none, loudly. */
export async function provideRedis({
  redisUrl,
  path,
  stateDir,
  output,
}: ProvideRedisOptions): Promise<ProvidedRedis> {
  if (redisUrl === '') {
    output.info('REDIS_URL is empty: running without Redis (in-process cache fallback)');
    return { url: '', summary: 'none (REDIS_URL is empty; in-process fallback)' };
  }
  if (redisUrl) return { url: redisUrl, summary: `${redactUrl(redisUrl)} (REDIS_URL)` };
  const bin = await findOnPath('redis-server', path);
  if (!bin) {
    output.loud([
      'WARNING: NO REDIS. REDIS_URL is not set and there is no redis-server on the PATH.',
      'The services run on their in-process cache fallback: nothing is shared between',
      'services, and cache invalidation does not cross processes. This is NOT how the mesh',
      'runs for real. Install Redis (e.g. apt-get install redis-server) or set REDIS_URL.',
    ]);
    return { url: '', summary: 'NONE: in-process fallback (no redis-server on the PATH)' };
  }
  const dir = join(stateDir, 'redis');
  const server = await startRedis({
    bin,
    dir,
    port: await freePort(),
    onLine: (line) => output.line('redis', line),
  });
  return {
    url: server.url,
    summary: `${server.url} (${bin}, pid ${server.pid})`,
    exited: server.exited,
    stop: server.stop,
  };
}
