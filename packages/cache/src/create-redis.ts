import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';
import type { CacheEnv } from './env.js';

export type { Cluster, Redis } from 'ioredis';

/** A single Redis or a Redis Cluster: the commands the mesh uses work on both. */
export type RedisClient = Redis | Cluster;

/** Capped exponential backoff: Redis coming back is noticed within two seconds. */
const retryStrategy = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);

/**
 * An ioredis connection that gives up quickly instead of making callers wait (a cache must
 * never be slower than what it caches), and reconnects by itself with capped backoff.
 * `REDIS_CLUSTER_NODES` makes it a Cluster; an empty `REDIS_URL` means no Redis (`null`).
 */
export function createRedis(env: CacheEnv): RedisClient | null {
  const common: RedisOptions = {
    commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy,
    lazyConnect: false,
  };
  const client = env.REDIS_CLUSTER_NODES
    ? createCluster(env.REDIS_CLUSTER_NODES, common)
    : env.REDIS_URL === null
      ? null
      : new Redis(env.REDIS_URL, common);
  // Without a listener ioredis prints every connection error to stderr. Outages are
  // reported once by the cache's circuit breaker and by `/readyz` instead.
  client?.on('error', () => {});
  return client;
}

function createCluster(nodes: readonly string[], common: RedisOptions): Cluster {
  const seeds: ClusterNode[] = nodes.map((node) => {
    const url = new URL(node.includes('://') ? node : `redis://${node}`);
    return { host: url.hostname, port: Number(url.port || 6379) };
  });
  const withAuth = nodes.find((node) => node.includes('://'));
  const auth = withAuth ? new URL(withAuth) : undefined;
  return new Cluster(seeds, {
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue: true,
    redisOptions: {
      ...common,
      username: auth?.username ? decodeURIComponent(auth.username) : undefined,
      password: auth?.password ? decodeURIComponent(auth.password) : undefined,
      tls: auth?.protocol === 'rediss:' ? {} : undefined,
    },
  });
}

/**
 * A second connection to the same Redis or Cluster, for a subscriber (a connection in
 * subscribe mode can run nothing else). ioredis 6 types the two `duplicate`s apart.
 */
export function duplicateRedis(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
