import { Code, ConnectError, createClient, createRouterTransport } from '@connectrpc/connect';
import { Health, UserCacheService } from '@mesh/contracts';
import { describe, expect, it } from 'vitest';
import { registerHealth } from './grpc-health.js';

function healthClient(ready: () => Promise<boolean>) {
  const transport = createRouterTransport((router) =>
    registerHealth(router, { services: [UserCacheService], ready, watchIntervalMs: 10 }),
  );
  return createClient(Health, transport);
}

describe('grpc.health.v1 on the face', () => {
  it('answers Check from readiness, for the server and for each service it serves', async () => {
    let ready = true;
    const health = healthClient(async () => ready);
    expect((await health.check({ service: '' })).status).toBe(1);
    expect((await health.check({ service: 'mesh.user_cache.v1.UserCacheService' })).status).toBe(1);
    ready = false;
    expect((await health.check({ service: '' })).status).toBe(2);
  });

  it('refuses Check for a service it does not serve with NOT_FOUND', async () => {
    const error = await healthClient(async () => true)
      .check({ service: 'mesh.nope.v1.Nope' })
      .catch((caught: unknown) => caught);
    expect(ConnectError.from(error).code).toBe(Code.NotFound);
  });

  it('streams each change of readiness on Watch, not every poll', async () => {
    const states = [true, true, false, false, true];
    let polls = 0;
    const health = healthClient(async () => states[Math.min(polls++, states.length - 1)] as boolean);
    const seen: number[] = [];
    const abort = new AbortController();
    try {
      for await (const answer of health.watch({ service: '' }, { signal: abort.signal })) {
        seen.push(answer.status);
        if (seen.length === 3) abort.abort();
      }
    } catch (error) {
      expect(ConnectError.from(error).code).toBe(Code.Canceled);
    }
    expect(seen).toEqual([1, 2, 1]);
  });
});
