import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCliError } from '../errors.js';
import { isAlive } from '../testing/is-alive.js';
import { findOnPath } from './find-on-path.js';
import { freePort, isPortFree } from './free-port.js';
import { pingRedis } from './ping-redis.js';
import { startRedis } from './start-redis.js';

const pathVariable = process.env.PATH ?? '';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-redis-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startRedis', async () => {
  const bin = await findOnPath('redis-server', pathVariable);

  it.skipIf(!bin)('starts a redis-server that answers PING and stops it, leaving no process', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const redis = await startRedis({
      bin: bin ?? '',
      dir: join(dir, 'redis'),
      port,
      onLine: (line) => lines.push(line),
    });
    // Its start-up banner stays out of the terminal; what it says once up (here, at stop) does not.
    expect(lines).toEqual([]);

    expect(redis.url).toBe(`redis://127.0.0.1:${port}`);
    await expect(pingRedis({ port })).resolves.toBe(true);
    expect(isAlive(redis.pid)).toBe(true);

    await redis.stop();

    expect(lines.join('\n')).toMatch(/shutdown|exit/i);
    expect(isAlive(redis.pid)).toBe(false);
    await expect(pingRedis({ port })).resolves.toBe(false);
    await expect(isPortFree(port)).resolves.toBe(true);
  });

  it.skipIf(!bin)('fails with REDIS_FAILED and its output when the port is taken', async () => {
    const port = await freePort();
    const first = await startRedis({ bin: bin ?? '', dir, port });
    try {
      const error = await startRedis({ bin: bin ?? '', dir, port, timeoutMs: 3000 }).catch(
        (caught: unknown) => caught,
      );
      // The first server answers PING on that port, so the second must not be mistaken for it.
      expect(isCliError(error, 'REDIS_FAILED')).toBe(true);
      // Its own words (the banner, the bind failure) are in the message, since none were printed.
      expect((error as Error).message).toMatch(/Redis|bind|Address already in use/);
    } finally {
      await first.stop();
    }
  });
});

describe('findOnPath', () => {
  it('finds nothing for a command on no directory of the PATH', async () => {
    await expect(findOnPath('mesh-no-such-command', pathVariable)).resolves.toBeUndefined();
  });
});
