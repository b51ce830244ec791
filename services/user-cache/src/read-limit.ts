import type { Cache, RateDecision } from '@mesh/cache';
import { errors } from './errors.js';

export interface ReadLimitSettings {
  limit: number;
  windowSeconds: number;
}

/** Per-user limits on the hot reads, counted in Redis so every instance shares them. */
export interface ReadLimit {
  /** One decision per user id, in one round trip. */
  decide(userIds: readonly bigint[]): Promise<RateDecision[]>;
  /** Throws USER_RATE_LIMITED if any of the users is over the limit. */
  check(userIds: readonly bigint[]): Promise<void>;
}

export function createReadLimit(cache: Cache, { limit, windowSeconds }: ReadLimitSettings): ReadLimit {
  const limiter = cache.rateLimiter({ name: 'user-read', limit, windowSeconds });
  const refuse = (userId: bigint, decision: RateDecision) =>
    errors.create('USER_RATE_LIMITED', {
      detail: `user ${userId}: ${decision.count} reads, limit ${limit} per ${windowSeconds} s; retry after ${new Date(decision.resetAt).toISOString()}`,
    });
  return {
    decide: (userIds) => limiter.hit(userIds),
    async check(userIds) {
      const decisions = await limiter.hit(userIds);
      const index = decisions.findIndex((decision) => !decision.allowed);
      if (index !== -1) throw refuse(userIds[index] as bigint, decisions[index] as RateDecision);
    },
  };
}

export type { RateDecision };
