import { createLogger } from '@mesh/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type MeshService } from './create-service.js';
import { readKitEnv } from './env.js';
import { procedure, router } from './trpc.js';

const TOKEN = 'cors-test-token-0123456789';
const testRouter = router({ ping: procedure.query(() => 'pong') });
const services: Array<MeshService<typeof testRouter>> = [];

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function serve(corsOrigins?: string) {
  const env = readKitEnv({
    MESH_SERVICE_TOKEN: TOKEN,
    LOG_LEVEL: 'silent',
    ...(corsOrigins !== undefined && { CORS_ORIGINS: corsOrigins }),
  });
  const service = await createService({
    name: 'cors-test',
    router: testRouter,
    env,
    logger: createLogger({ name: 'cors-test', level: 'silent' }),
  });
  services.push(service);
  return service.app;
}

const preflight = (origin: string) => ({
  method: 'OPTIONS' as const,
  url: '/trpc/ping',
  headers: {
    origin,
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'authorization,traceparent',
  },
});

describe('CORS_ORIGINS', () => {
  it("lets a listed origin's page send the token, on the preflight and on the call", async () => {
    const app = await serve('http://dash.test:8080, http://other.test');
    const answer = await app.inject(preflight('http://dash.test:8080'));
    expect(answer.statusCode).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('http://dash.test:8080');
    expect(String(answer.headers['access-control-allow-headers'])).toContain('authorization');

    const call = await app.inject({
      url: '/trpc/ping',
      headers: { origin: 'http://dash.test:8080', authorization: `Bearer ${TOKEN}` },
    });
    expect(call.statusCode).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe('http://dash.test:8080');
  });

  it('gives an origin it does not list no allowance', async () => {
    const app = await serve('http://dash.test:8080');
    const answer = await app.inject(preflight('http://evil.test'));
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds no CORS header at all by default', async () => {
    const app = await serve();
    const call = await app.inject({
      url: '/trpc/ping',
      headers: { origin: 'http://dash.test:8080', authorization: `Bearer ${TOKEN}` },
    });
    expect(call.statusCode).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a value that is not a list of origins, naming the variable', () => {
    expect(() => readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, CORS_ORIGINS: 'http://dash.test/path' })).toThrow(
      /CORS_ORIGINS/,
    );
    expect(() => readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });
});
