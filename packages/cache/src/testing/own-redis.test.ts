import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort, killChildren, RedisExitedEarly, spawnRedisServer, startOwnRedis } from './own-redis.js';

const ARGS = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];

describe('spawnRedisServer', () => {
  it('resolves once its own child answers, and the port serves commands', async () => {
    const children: ChildProcess[] = [];
    try {
      const port = await freePort();
      const child = await spawnRedisServer(port, ARGS, children);
      expect(child.exitCode).toBeNull();
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
      await client.connect();
      const info = await client.info('server');
      client.disconnect();
      expect(info).toContain(`process_id:${child.pid}`);
    } finally {
      await killChildren(children);
    }
  });

  it('rejects as exited early when another Redis already holds the port, though that one answers', async () => {
    await using other = await startOwnRedis();
    const children: ChildProcess[] = [];
    try {
      await expect(spawnRedisServer(other.port, ARGS, children)).rejects.toBeInstanceOf(RedisExitedEarly);
      expect(children[0]?.exitCode).not.toBeNull();
    } finally {
      await killChildren(children);
    }
  });
});
