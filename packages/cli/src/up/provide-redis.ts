import { join } from 'node:path';
import { findOnPath } from './find-on-path.js';
import { freePort } from './free-port.js';
import { type ChildExit, type Incarnation, keepAlive } from './keep-alive.js';
import type { Output } from './output.js';
import { redactUrl } from './redact-url.js';
import { reportRestarts } from './report-restarts.js';
import { createRestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import { type RunningRedis, startRedis } from './start-redis.js';

export interface ProvidedRedis {
  /** For the services; `''` means no Redis (their in-process fallback). */
  url: string;
  summary: string;
  /** The redis-server running now, when `mesh` started one (it changes on a restart). */
  readonly pid?: number;
  /** Resolves once a redis-server `mesh` started has crashed too often to restart again. */
  gaveUp?: Promise<ChildExit>;
  stop?: () => Promise<void>;
}

export interface ProvideRedisOptions {
  /** REDIS_URL: unset, empty (no Redis on purpose) or a URL. */
  redisUrl: string | undefined;
  /** PATH, to find redis-server. */
  path: string;
  stateDir: string;
  output: Output;
  /** When a redis-server that dies is started again (on the same port); 5 crashes in 60 s and it stays down. */
  restart?: RestartPolicyOptions;
}

/**
 * REDIS_URL when set; else a redis-server from the PATH on a free port, started again on the
 * same port when it dies (the services reconnect by themselves); else none, loudly.
 */
export async function provideRedis({
  redisUrl,
  path,
  stateDir,
  output,
  restart,
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
  const port = await freePort();
  const start = () => startRedis({ bin, dir, port, onLine: (line) => output.line('redis', line) });
  const first = await start();
  output.info(`redis-server started: ${first.url} (pid ${first.pid})`);
  const report = reportRestarts(output, restart);
  const kept = keepAlive({
    name: 'redis-server',
    first: incarnation(first),
    restart: async () => incarnation(await start()),
    policy: createRestartPolicy(restart),
    onEvent: (event) => report('redis-server', event),
  });
  return {
    url: first.url,
    summary: `${first.url} (${bin}, pid ${first.pid})`,
    get pid() {
      return kept.pid;
    },
    gaveUp: kept.gaveUp,
    stop: kept.stop,
  };
}

function incarnation(server: RunningRedis): Incarnation {
  return {
    pid: server.pid,
    exit: server.exited.then(({ code, signal }): ChildExit => ({ name: 'redis-server', code, signal })),
    stop: () => server.stop(),
  };
}
