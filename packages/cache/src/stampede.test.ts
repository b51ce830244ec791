import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';

const worker = fileURLToPath(new URL('./testing/stampede-worker.ts', import.meta.url));
let cache: Awaited<ReturnType<typeof createTestCache>>;

beforeAll(async () => {
  cache = await createTestCache({ service: 'stampede', env: { CACHE_LOCK_WAIT_MS: 5000 } });
});
afterAll(async () => {
  await cache?.[Symbol.asyncDispose]();
});

function startWorker(prefix: string, calls: number) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', worker, prefix, String(calls)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = () => once(lines, 'line').then(([line]) => String(line));
  return { child, next };
}

describe('stampede protection', () => {
  it('runs the loader once for 200 concurrent misses of one key in one process', async () => {
    const loader = vi.fn(async () => {
      await sleep(50);
      return 'value';
    });
    const key = cache.key('hot', 'local');
    const results = await Promise.all(
      Array.from({ length: 200 }, () => cache.getOrSet(key, loader, { ttl: 60 })),
    );
    expect(new Set(results)).toEqual(new Set(['value']));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it("gives a batch that joined another call's load that load's value, even when it ends while the batch reads the rest", async () => {
    const [shared, other] = [cache.key('batch', 'shared'), cache.key('batch', 'other')];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = cache.getManyOrLoad(
      [shared],
      async () => {
        await gate;
        return new Map([[shared, 'loaded once']]);
      },
      { ttl: 60 },
    );
    await sleep(20); // the first call is loading `shared`
    const load = vi.fn(async (missing: string[]) => new Map(missing.map((key) => [key, `for ${key}`])));
    const second = cache.getManyOrLoad([shared, other], load, { ttl: 60 });
    release(); // the first load ends while the second call waits for Redis about `other`
    expect(await first).toEqual(['loaded once']);
    expect(await second).toEqual(['loaded once', `for ${other}`]);
    expect(load).toHaveBeenCalledWith([other]);
  });

  it('runs the loader once for 200 concurrent misses of one key across two processes', async () => {
    const workers = [startWorker(cache.keyPrefix, 100), startWorker(cache.keyPrefix, 100)];
    try {
      expect(await Promise.all(workers.map((w) => w.next()))).toEqual(['ready', 'ready']);
      const outputs = workers.map((w) => w.next());
      for (const w of workers) w.child.stdin?.write('go\n');
      const answers = (await Promise.all(outputs)).map((line) => JSON.parse(line) as unknown);
      // Both processes missed (each found no value), yet only one of them loaded.
      expect(answers).toEqual([
        { answers: [42], misses: 1 },
        { answers: [42], misses: 1 },
      ]);
      expect(await cache.redis?.get(cache.key('counter', 'loads'))).toBe('1');
    } finally {
      for (const w of workers) w.child.kill();
    }
  });

  it('does not let a holder that died with the lock block readers past the wait bound', async () => {
    await using bounded = await createTestCache({ service: 'stampede', env: { CACHE_LOCK_WAIT_MS: 200 } });
    const key = bounded.key('dead', 1);
    await bounded.redis?.set(`${key}:~lock`, 'a-process-that-died', 'PX', 60_000);
    const loader = vi.fn(async () => 'loaded anyway');
    expect(await bounded.getOrSet(key, loader, { ttl: 60 })).toBe('loaded anyway');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('takes over the load when the holder lets its lock expire without a value', async () => {
    const key = cache.key('dead', 2);
    await cache.redis?.set(`${key}:~lock`, 'a-process-that-died', 'PX', 100);
    const loader = vi.fn(async () => 'taken over');
    expect(await cache.getOrSet(key, loader, { ttl: 60 })).toBe('taken over');
    expect(await cache.get(key)).toBe('taken over');
    expect(loader).toHaveBeenCalledTimes(1);
  });
});
