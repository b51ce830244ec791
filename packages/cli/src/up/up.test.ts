import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCliEnv } from '../env.js';
import { isCliError } from '../errors.js';
import { portVarsOf, type ServiceSpec } from '../services.js';
import { captureStream as capture } from '../testing/capture-stream.js';
import { isAlive } from '../testing/is-alive.js';
import { isPortFree } from './free-port.js';
import type { Migrate } from './migrate-services.js';
import { pingRedis } from './ping-redis.js';
import {
  type FakeServiceOptions,
  fakeServiceInfo,
  readiness,
  writeFakeService,
} from './testing/fake-service.js';
import { type RunningMesh, up } from './up.js';

let dir: string;
const running: RunningMesh[] = [];
const occupied: Server[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-up-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((mesh) => mesh.stop()));
  await Promise.all(occupied.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

function fakeService(name: string, options: FakeServiceOptions = {}): Promise<ServiceSpec> {
  return writeFakeService(dir, name, options);
}

function setup(services: readonly ServiceSpec[], source: Record<string, string | undefined>) {
  const stdout = capture();
  const stderr = capture();
  const migrations: Parameters<Migrate>[0][] = [];
  const migrate: Migrate = async (options) => {
    migrations.push(options);
    return { applied: [] };
  };
  const env = readCliEnv({ source, portVars: portVarsOf(services) });
  const options = {
    services,
    env,
    stateDir: join(dir, 'state'),
    stdout: stdout.stream,
    stderr: stderr.stream,
    migrate,
  };
  return { options, stdout, stderr, migrations };
}

const databaseUrl = 'postgresql://postgres:secret@127.0.0.1:5432/postgres';

describe('up', () => {
  it('starts every service with the mesh environment, prints one line per URL, and stops all of it', async () => {
    const services = [await fakeService('alpha', { grpc: true }), await fakeService('beta')];
    const { options, stdout, stderr, migrations } = setup(services, {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
    });

    const mesh = await up(options);
    running.push(mesh);

    const alpha = services[0] as ServiceSpec;
    const beta = services[1] as ServiceSpec;
    const given = await fakeServiceInfo(alpha);
    const tokenFile = join(dir, 'state', 'token');
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(given.env).toMatchObject({
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      MESH_SERVICE_TOKEN: token,
      ALPHA_PORT: String(alpha.port),
      BETA_PORT: String(beta.port),
      ALPHA_URL: `http://127.0.0.1:${alpha.port}`,
      BETA_URL: `http://127.0.0.1:${beta.port}`,
      ALPHA_GRPC_PORT: String(alpha.grpc?.port),
    });
    expect(given.env.REDIS_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const redisPort = Number(new URL(given.env.REDIS_URL ?? '').port);
    await expect(pingRedis({ port: redisPort })).resolves.toBe(true);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect(migrations).toEqual([
      {
        databaseUrl,
        schema: 'alpha',
        migrationsDir: expect.stringMatching(/services\/alpha\/prisma\/migrations$/),
      },
      {
        databaseUrl,
        schema: 'beta',
        migrationsDir: expect.stringMatching(/services\/beta\/prisma\/migrations$/),
      },
    ]);

    const printed = stdout.text() + stderr.text();
    expect(printed).toMatch(/alpha +\| listening/);
    expect(printed).toMatch(
      new RegExp(
        `^  alpha +http://127\\.0\\.0\\.1:${alpha.port}  grpc 127\\.0\\.0\\.1:${alpha.grpc?.port}$`,
        'm',
      ),
    );
    expect(printed).toMatch(new RegExp(`^  beta +http://127\\.0\\.0\\.1:${beta.port}$`, 'm'));
    expect(printed).toContain('postgresql://postgres@127.0.0.1:5432/postgres');
    expect(printed).toContain(`redis://127.0.0.1:${redisPort}`);
    expect(printed).toContain(tokenFile);
    expect(printed).toContain('mesh is up — Ctrl-C to stop');
    expect(printed).not.toContain(token);
    expect(printed).not.toContain('secret');

    await mesh.stop();

    expect(stdout.text()).toMatch(/alpha +\| draining/);
    expect(isAlive(given.pid)).toBe(false);
    await expect(pingRedis({ port: redisPort })).resolves.toBe(false);
    for (const service of services) await expect(isPortFree(service.port)).resolves.toBe(true);
  });

  it('refuses to start when a port is taken, naming its variable, and starts nothing', async () => {
    const blocker = createServer();
    occupied.push(blocker);
    await new Promise<void>((resolve) => blocker.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const taken = (blocker.address() as { port: number }).port;
    const services = [await fakeService('alpha'), await fakeService('beta', { port: taken })];
    const { options } = setup(services, { DATABASE_URL: databaseUrl });

    const error = await up(options).catch((caught: unknown) => caught);

    expect(isCliError(error, 'PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toBe(`port ${taken} (beta) is in use; set BETA_PORT to move it`);
    await expect(access(join(dir, 'state'))).rejects.toThrow();
  });

  it('refuses to start when a gRPC port is taken, naming its variable', async () => {
    const blocker = createServer();
    occupied.push(blocker);
    await new Promise<void>((resolve) => blocker.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const taken = (blocker.address() as { port: number }).port;
    const services = [await fakeService('alpha', { grpc: taken })];
    const { options } = setup(services, { DATABASE_URL: databaseUrl });

    const error = await up(options).catch((caught: unknown) => caught);

    expect(isCliError(error, 'PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toBe(
      `port ${taken} (alpha gRPC) is in use; set ALPHA_GRPC_PORT to move it`,
    );
    await expect(access(join(dir, 'state'))).rejects.toThrow();
  });

  it('names a service that exits before it is ready, and stops the others', async () => {
    const pidFile = join(dir, 'steady.pid');
    const services = [
      await fakeService('steady', {
        startup: `(await import('node:fs')).writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));`,
      }),
      await fakeService('crashy', {
        readyz: readiness.neverReady,
        startup: 'setTimeout(() => { console.error("boom"); process.exit(3); }, 1000);',
      }),
    ];
    const { options, stderr } = setup(services, { DATABASE_URL: databaseUrl, REDIS_URL: '' });

    const error = await up(options).catch((caught: unknown) => caught);

    expect(isCliError(error, 'SERVICE_EXITED')).toBe(true);
    expect((error as Error).message).toContain('crashy exited with code 3');
    expect(stderr.text()).toMatch(/crashy +\| boom/);
    expect(isAlive(Number(await readFile(pidFile, 'utf8')))).toBe(false);
  });

  it('gives up on a service that is not ready in time, naming it', async () => {
    const services = [await fakeService('slow', { readyz: readiness.neverReady })];
    const { options } = setup(services, { DATABASE_URL: databaseUrl, REDIS_URL: '' });

    const error = await up({ ...options, readyTimeoutMs: 1500 }).catch((caught: unknown) => caught);

    expect(isCliError(error, 'SERVICE_NOT_READY')).toBe(true);
    expect((error as Error).message).toContain('slow');
    await expect(isPortFree(services[0]?.port ?? 0)).resolves.toBe(true);
  });

  it('stops what it started when interrupted during start-up', async () => {
    const services = [await fakeService('slow', { readyz: readiness.neverReady })];
    const { options } = setup(services, { DATABASE_URL: databaseUrl, REDIS_URL: '' });
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 1000);

    const error = await up({ ...options, signal: interrupt.signal }).catch((caught: unknown) => caught);

    expect(isCliError(error, 'ABORTED')).toBe(true);
    await expect(isPortFree(services[0]?.port ?? 0)).resolves.toBe(true);
  });

  it('warns loudly and gives the services an empty REDIS_URL when there is no redis-server', async () => {
    const services = [await fakeService('alpha')];
    const { options, stderr } = setup(services, { DATABASE_URL: databaseUrl, PATH: join(dir, 'empty-path') });

    const mesh = await up(options);
    running.push(mesh);

    expect(stderr.text()).toContain('WARNING: NO REDIS');
    const given = await fakeServiceInfo(services[0] as ServiceSpec);
    expect(given.env.REDIS_URL).toBe('');
  });

  it('uses MESH_SERVICE_TOKEN when set and writes no token file', async () => {
    const services = [await fakeService('alpha')];
    const token = 'a-token-from-the-environment';
    const { options, stdout } = setup(services, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: '',
      MESH_SERVICE_TOKEN: token,
    });

    const mesh = await up(options);
    running.push(mesh);

    const given = await fakeServiceInfo(services[0] as ServiceSpec);
    expect(given.env.MESH_SERVICE_TOKEN).toBe(token);
    expect(stdout.text()).not.toContain(token);
    await expect(access(join(dir, 'state', 'token'))).rejects.toThrow();
  });
});
