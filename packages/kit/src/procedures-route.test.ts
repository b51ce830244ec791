import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROCEDURES_PATH, type ProceduresListing, registerProceduresRoute } from './procedures-route.js';
import { procedure, router } from './trpc.js';
import { createTokenVerifier } from './verify-token.js';

const TOKEN = 'procedures-token-0123456789';

const testRouter = router({
  getThings: procedure
    .input(
      z.object({
        ids: z.array(z.bigint()).min(1),
        since: z.date().optional(),
        limit: z.number().default(10),
      }),
    )
    .query(() => []),
  ping: procedure.query(() => 'pong'),
  addThing: procedure.input(z.object({ name: z.string() })).mutation(() => ({ ok: true })),
  onThing: procedure.subscription(async function* () {
    yield 1;
  }),
});

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function build() {
  const app = Fastify();
  apps.push(app);
  registerProceduresRoute(app, { name: 'things', router: testRouter, verify: createTokenVerifier(TOKEN) });
  return app;
}

describe('GET /procedures', () => {
  it('lists every procedure with its kind and input schema, BigInt and Date marked', async () => {
    const response = await build().inject({
      url: PROCEDURES_PATH,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    const listing = response.json<ProceduresListing>();
    expect(listing.service).toBe('things');
    expect(listing.procedures.map(({ path, kind }) => [path, kind])).toEqual([
      ['addThing', 'mutation'],
      ['getThings', 'query'],
      ['onThing', 'subscription'],
      ['ping', 'query'],
    ]);
    const getThings = listing.procedures.find((entry) => entry.path === 'getThings');
    expect(getThings?.input).toMatchObject({
      type: 'object',
      required: ['ids'],
      properties: {
        ids: { type: 'array', items: { type: 'integer', 'x-js-type': 'bigint' }, minItems: 1 },
        since: { type: 'string', 'x-js-type': 'Date' },
        limit: { type: 'number', default: 10 },
      },
    });
    expect(listing.procedures.find((entry) => entry.path === 'ping')?.input).toBeNull();
  });

  it('refuses a caller without the service token', async () => {
    const app = build();
    const none = await app.inject({ url: PROCEDURES_PATH });
    const wrong = await app.inject({ url: PROCEDURES_PATH, headers: { authorization: 'Bearer nope' } });
    expect([none.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});
