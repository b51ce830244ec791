import { EnvError } from '@mesh/config';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedis } from './create-redis.js';
import { readCacheEnv } from './env.js';

describe('cache settings', () => {
  it('defaults to the laptop Redis, and takes an empty REDIS_URL as "no Redis"', () => {
    expect(readCacheEnv({}).REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(readCacheEnv({ REDIS_URL: '' }).REDIS_URL).toBeNull();
    expect(createRedis(readCacheEnv({ REDIS_URL: '' }))).toBeNull();
  });

  it('reads a Redis Cluster from REDIS_CLUSTER_NODES and connects with ioredis Cluster', () => {
    const env = readCacheEnv({ REDIS_CLUSTER_NODES: 'redis-0:6379, redis://:secret@redis-1:6380' });
    expect(env.REDIS_CLUSTER_NODES).toEqual(['redis-0:6379', 'redis://:secret@redis-1:6380']);
    const client = createRedis({ ...env, REDIS_CLUSTER_NODES: ['127.0.0.1:1'] });
    expect(client).toBeInstanceOf(Cluster);
    client?.disconnect();
  });

  it('fails at start-up naming the bad variable', () => {
    const bad = (source: Record<string, string>) => {
      try {
        readCacheEnv(source);
      } catch (error) {
        return error instanceof EnvError ? error.variables : error;
      }
      return 'accepted';
    };
    expect(bad({ REDIS_CLUSTER_NODES: 'not a node' })).toEqual(['REDIS_CLUSTER_NODES.0']);
    expect(bad({ CACHE_KEY_PREFIX: 'has space' })).toEqual(['CACHE_KEY_PREFIX']);
    expect(bad({ REDIS_URL: 'http://x' })).toEqual(['REDIS_URL']);
  });
});
