import { withRequestStats } from '@mesh/telemetry';
import { describe, expect, it } from 'vitest';
import { createTestCache } from './testing/create-test-cache.js';

describe('rate limiter', () => {
  it('allows `limit` calls per subject per window and refuses the next, counting subjects apart', async () => {
    await using cache = await createTestCache({ service: 'limited' });
    const limiter = cache.rateLimiter({ name: 'getPartner', limit: 3, windowSeconds: 60 });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push((await limiter.hit([7n]))[0]?.allowed);
    expect(decisions).toEqual([true, true, true, false]);
    expect((await limiter.hit([8n]))[0]).toMatchObject({ allowed: true, count: 1 });
  });

  it('checks many subjects in one round trip', async () => {
    await using cache = await createTestCache({ service: 'limited' });
    const limiter = cache.rateLimiter({ name: 'batch', limit: 1, windowSeconds: 60 });
    const { result, stats } = await withRequestStats(() => limiter.hit([1, 2, 3, 1]));
    expect(result.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(stats.redisRoundTrips).toBe(1);
  });
});
