import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCliEnv } from '../env.js';
import { meshServices, type ServiceSpec } from '../services.js';
import { findOnPath } from './find-on-path.js';
import { freePort } from './free-port.js';
import { type RunningMesh, up } from './up.js';

// The real user-cache and analytics (analytics calls user-cache), a redis-server `mesh up`
// starts, and Postgres at DATABASE_URL in a database of this file's own; parts of it are killed
// with SIGKILL while calls go on.
const names = ['user-cache', 'analytics'];
const token = 'mesh-faults-test-token-0123456789';
const hasRedis = (await findOnPath('redis-server', process.env.PATH ?? '')) !== undefined;

let database: TestDatabase;
let mesh: RunningMesh | undefined;
let services: ServiceSpec[];
let log = '';
let stateDir: string;

beforeAll(async () => {
  if (!hasRedis) return;
  database = await createTestDatabase({ migrations: [] });
  stateDir = await mkdtemp(join(tmpdir(), 'mesh-faults-'));
  services = meshServices.filter((service) => names.includes(service.name));
  // HTTP and gRPC ports of their own, so a mesh someone runs on the defaults does not collide.
  const portVars = services.flatMap((service) => [
    service.portVar,
    ...(service.grpc ? [service.grpc.portVar] : []),
  ]);
  const ports = Object.fromEntries(
    await Promise.all(portVars.map(async (portVar) => [portVar, String(await freePort())])),
  );
  const source: Record<string, string | undefined> = {
    ...process.env,
    ...ports,
    DATABASE_URL: database.url,
    MESH_SERVICE_TOKEN: token,
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    CACHE_BREAKER_COOLDOWN_MS: '200',
  };
  delete source.REDIS_URL;
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const env = readCliEnv({ source, portVars });
  services = services.map((service) => ({ ...service, port: env.ports[service.portVar] ?? service.port }));
  mesh = await up({
    services,
    env,
    stateDir,
    stdout: output,
    stderr: output,
    color: false,
    afterUp: async () => {},
    restart: { baseDelayMs: 100 },
  });
}, 60_000);

afterAll(async () => {
  await mesh?.stop();
  await database?.drop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

function urlOf(name: string): string {
  const service = services.find((candidate) => candidate.name === name);
  return `http://127.0.0.1:${service?.port}`;
}

interface Answer {
  status: number;
  body: { result?: { data?: { json?: unknown } }; error?: { json?: { data?: Record<string, unknown> } } };
}

/** One tRPC call over plain HTTP, its input in the wire's superjson shape. */
async function call(name: string, path: string, input?: { json: unknown; meta?: unknown }): Promise<Answer> {
  const query = input ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
  const response = await fetch(`${urlOf(name)}/trpc/${path}${query}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const bigint = (path: string) => ({ values: { [path]: ['bigint'] } });
const getUsers = () => call('user-cache', 'getUsers', { json: { ids: ['1'] }, meta: bigint('ids.0') });
const userSummary = () => call('analytics', 'userSummary', { json: { userId: '1' }, meta: bigint('userId') });

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${log.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasRedis)('the mesh under faults', () => {
  it('keeps answering from Postgres while its redis-server is killed, and uses Redis again once it is back', async () => {
    const created = await fetch(`${urlOf('user-cache')}/trpc/createUsers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { users: [{ id: '1', name: 'Ada' }] }, meta: bigint('users.0.id') }),
    });
    expect(created.status).toBe(200);
    const redis = mesh?.pidOf('redis-server') as number;

    process.kill(redis, 'SIGKILL');
    for (let i = 0; i < 20; i++) {
      expect((await getUsers()).body.result?.data?.json).toMatchObject([{ id: '1', name: 'Ada' }]);
      expect((await userSummary()).status).toBe(200);
    }

    await eventually(async () => (mesh?.pidOf('redis-server') ?? redis) !== redis, 'redis-server restarted');
    await eventually(async () => {
      const ready = await fetch(`${urlOf('user-cache')}/readyz`);
      return ((await ready.json()) as { checks?: { redis?: string } }).checks?.redis === 'ok';
    }, 'user-cache back on Redis');
    expect(log).toContain('redis-server was killed by SIGKILL; restarting');
  }, 60_000);

  it('keeps analytics serving while user-cache is killed; a call that needs user-cache fails with PEER_UNAVAILABLE', async () => {
    const userCache = mesh?.pidOf('user-cache') as number;

    process.kill(userCache, 'SIGKILL');
    await eventually(
      async () => (await userSummary()).status === 503,
      'a call through the missing user-cache to fail',
    );
    const failed = await userSummary();
    expect(failed.body.error?.json?.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      meshCode: 'PEER_UNAVAILABLE',
    });
    expect((await call('analytics', 'dashboardMetrics')).status).toBe(200);

    await eventually(async () => (await getUsers()).status === 200, 'user-cache back', 40_000);
    expect(mesh?.pidOf('user-cache')).not.toBe(userCache);
    expect((await userSummary()).status).toBe(200);
    expect(log).toMatch(/user-cache was killed by SIGKILL; restarting it in 0\.1 s/);
  }, 60_000);
});
