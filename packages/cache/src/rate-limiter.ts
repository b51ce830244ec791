import type { CacheCore } from './cache-core.js';
import { toMs } from './cache-ttl.js';
import type { KeyPart } from './keyspace.js';

/** The namespace every rate limiter of a service counts in. */
export const RATE_LIMIT_NAMESPACE = 'rate-limit';

export interface RateLimiterOptions {
  /** What is limited (e.g. `getPartner`): a key segment. */
  name: string;
  /** Calls allowed per subject per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Calls counted for the subject in the current window, this one included. */
  count: number;
  /** When the current window ends (ms since epoch): when to try again. */
  resetAt: number;
}

export interface RateLimiter {
  /** Counts one call for each subject, in one round trip, and says which may go ahead. */
  hit(subjects: readonly KeyPart[]): Promise<RateDecision[]>;
}

/**
 * Fixed-window counters in Redis (`<service>:rate-limit:<name>:<subject>:<window>`), shared
 * by every instance. When Redis is out it lets everything through: a limiter must not
 * turn a cache outage into an outage of the service.
 */
export function createRateLimiter(
  core: CacheCore,
  { name, limit, windowSeconds }: RateLimiterOptions,
): RateLimiter {
  const windowMs = toMs(windowSeconds);
  return {
    async hit(subjects) {
      if (subjects.length === 0) return [];
      const window = Math.floor(Date.now() / windowMs);
      const resetAt = (window + 1) * windowMs;
      const keys = subjects.map((subject) => core.keys.key(RATE_LIMIT_NAMESPACE, name, subject, window));
      // A little past the window, so a counter outlives clock skew between instances.
      const counted = await core.use((store) => store.hitWindows(keys, windowMs + 1000));
      if (!counted.ok) {
        core.stats.record(RATE_LIMIT_NAMESPACE, 'error');
        return subjects.map(() => ({ allowed: true, count: 0, resetAt }));
      }
      return counted.value.map((count) => ({ allowed: count <= limit, count, resetAt }));
    },
  };
}
