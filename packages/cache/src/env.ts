import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

/** `host:port` or `redis[s]://[user:pass@]host:port`, one cluster seed node. */
const clusterNode = z
  .string()
  .trim()
  .regex(/^(rediss?:\/\/[^\s,]+|[^\s,:/]+:\d{1,5})$/, 'must be host:port or a redis:// URL');

const schema = z.object({
  /**
   * Where Redis is. Unset means the laptop default; set but empty means "no Redis": the
   * service runs on the in-process fallback and says so in `/readyz`.
   */
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .transform((value) => (value === '' ? null : value))
    .pipe(z.url({ protocol: /^rediss?$/ }).nullable()),
  /**
   * A Redis Cluster instead: comma-separated seed nodes (`host:port` or `redis://...`).
   * When set it wins over REDIS_URL; credentials and TLS come from the first URL-form node.
   */
  REDIS_CLUSTER_NODES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value) => value.split(',').map((node) => node.trim()))
      .pipe(z.array(clusterNode).min(1))
      .optional(),
  ),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt.default(500),
  /**
   * Put in front of every key (and the invalidation channel). Tests give each file its own,
   * so parallel files never see each other's keys; deployments leave it empty.
   */
  CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]*$/, 'letters, digits, "_", ".", ":" and "-" only')
    .default(''),
  /** Values whose serialised form is larger are not cached (the call still answers). */
  CACHE_MAX_VALUE_BYTES: positiveInt.default(1024 * 1024),
  /** Seconds a value past its TTL may still be served while one caller refreshes it. */
  CACHE_STALE_GRACE_S: z.coerce.number().int().nonnegative().default(60),
  /** How long a cross-process load lock lives: a dead holder blocks nobody longer. */
  CACHE_LOCK_TTL_MS: positiveInt.default(5000),
  /** How long a caller waits for another process's load before loading itself. */
  CACHE_LOCK_WAIT_MS: positiveInt.default(2000),
  /** Consecutive Redis failures that open the circuit breaker. */
  CACHE_BREAKER_FAILURES: positiveInt.default(3),
  /** First pause before Redis is tried again; doubles per failed try, up to 30 s. */
  CACHE_BREAKER_COOLDOWN_MS: positiveInt.default(1000),
});

export type CacheEnv = z.infer<typeof schema>;

export function readCacheEnv(source: Record<string, string | undefined> = process.env): CacheEnv {
  return parseEnv(schema, source);
}
