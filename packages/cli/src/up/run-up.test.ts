import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../repo-root.js';
import type { ServiceSpec } from '../services.js';
import { isAlive } from '../testing/is-alive.js';
import { isPortFree } from './free-port.js';
import { redisServerPid } from './ping-redis.js';
import type { RestartPolicyOptions } from './restart-policy.js';
import { fakeServiceInfo, writeFakeService } from './testing/fake-service.js';

// `mesh up` as a process of its own, signalled the way a terminal or a supervisor would.
const runUpModule = fileURLToPath(new URL('./run-up.ts', import.meta.url));

let dir: string;
const processes: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-run-up-'));
});
afterEach(async () => {
  for (const child of processes.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

interface MeshProcess {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

interface MeshOptions {
  restart?: RestartPolicyOptions;
  hangAfterUp?: boolean;
}

async function startMesh(services: readonly ServiceSpec[], extra: MeshOptions = {}): Promise<MeshProcess> {
  const script = join(dir, 'mesh.mjs');
  await writeFile(
    script,
    `import { runUp } from ${JSON.stringify(runUpModule)};
const { hangAfterUp, ...options } = JSON.parse(process.argv[2]);
// A step after the services are ready that never ends: where a demo seeding hangs.
const afterUp = hangAfterUp ? () => { console.log('after-up started'); return new Promise(() => {}); } : undefined;
process.exitCode = await runUp([], { ...options, afterUp, color: false, migrate: async () => ({ applied: [] }) });
`,
  );
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
  };
  delete env.REDIS_URL;
  delete env.MESH_SERVICE_TOKEN;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, JSON.stringify({ services, stateDir: join(dir, 'state'), ...extra })],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  processes.push(child);
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exit };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function pidsIn(output: string): number[] {
  const service = output.match(/alpha +\| pid (\d+)/)?.[1];
  const redis = output.match(/redis-server started: \S+ \(pid (\d+)\)/)?.[1];
  return [Number(service), Number(redis)];
}

const printsPid = 'console.log("pid", process.pid);';

describe('runUp', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('on %s stops every process and exits 0', async (signal) => {
    const mesh = await startMesh([await writeFakeService(dir, 'alpha', { startup: printsPid })]);
    await until(() => mesh.output().includes('mesh is up'), 'mesh is up');
    const pids = pidsIn(mesh.output());
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    mesh.child.kill(signal);

    await expect(mesh.exit).resolves.toBe(0);
    expect(mesh.output()).toMatch(/alpha +\| draining/);
    expect(mesh.output()).toContain('mesh stopped');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('forces the mesh down on a second Ctrl-C (not a relayed repeat of the first), leaving no process behind', async () => {
    const stubborn = await writeFakeService(dir, 'alpha', {
      startup: printsPid,
      onSigterm: "console.log('ignoring SIGTERM');",
    });
    const mesh = await startMesh([stubborn]);
    await until(() => mesh.output().includes('mesh is up'), 'mesh is up');
    const pids = pidsIn(mesh.output());

    mesh.child.kill('SIGINT');
    await until(() => mesh.output().includes('ignoring SIGTERM'), 'the service to get SIGTERM');
    mesh.child.kill('SIGINT'); // Within a second: the same Ctrl-C relayed by a wrapper, ignored.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(mesh.child.exitCode).toBeNull();
    mesh.child.kill('SIGINT');

    await expect(mesh.exit).resolves.toBe(130);
    await until(() => pids.every((pid) => !isAlive(pid)), 'every process to be gone', 5000);
  });

  it('restarts a service killed with SIGKILL while the others keep answering, and Redis too, on the same port', async () => {
    const alpha = await writeFakeService(dir, 'alpha', { startup: printsPid });
    const beta = await writeFakeService(dir, 'beta');
    const mesh = await startMesh([alpha, beta], { restart: { baseDelayMs: 100 } });
    await until(() => mesh.output().includes('mesh is up'), 'mesh is up');
    const [first, redis] = pidsIn(mesh.output());
    const redisPort = Number(mesh.output().match(/redis:\/\/127\.0\.0\.1:(\d+)/)?.[1]);

    process.kill(first as number, 'SIGKILL');
    let betaAnswers = 0;
    let back: number | undefined;
    await eventually(async () => {
      // Throws, failing the test, if beta stops answering while alpha is down.
      await fakeServiceInfo(beta);
      betaAnswers++;
      back = await answeringPid(alpha);
      return back !== undefined && back !== first;
    }, 'alpha back');
    expect(betaAnswers).toBeGreaterThan(0);
    expect(mesh.output()).toMatch(/alpha was killed by SIGKILL; restarting it in 0\.1 s/);
    expect(mesh.output()).toMatch(/alpha restarted \(pid \d+\)/);

    process.kill(redis as number, 'SIGKILL');
    let redisBack: number | undefined;
    await eventually(async () => {
      redisBack = await redisServerPid({ port: redisPort, timeoutMs: 200 });
      return redisBack !== undefined && redisBack !== redis;
    }, 'redis-server back');
    expect(mesh.output()).toContain('redis-server was killed by SIGKILL; restarting');
    expect(mesh.child.exitCode).toBeNull();

    mesh.child.kill('SIGINT');
    await expect(mesh.exit).resolves.toBe(0);
    for (const pid of [back, redisBack]) expect(isAlive(pid as number)).toBe(false);
  });

  it('gives up loudly on a service that keeps crashing, and keeps the rest running', async () => {
    const crashy = await writeFakeService(dir, 'alpha', {
      startup: `${printsPid} process.on('SIGUSR2', () => process.exit(4));`,
    });
    const steady = await writeFakeService(dir, 'beta');
    const mesh = await startMesh([crashy, steady], { restart: { maxCrashes: 3, baseDelayMs: 50 } });
    await until(() => mesh.output().includes('mesh is up'), 'mesh is up');

    for (let crash = 1; crash <= 3; crash++) {
      const { pid } = await fakeServiceInfo(crashy);
      process.kill(pid, 'SIGUSR2');
      await until(() => !isAlive(pid), 'the crash');
      if (crash < 3) {
        await eventually(async () => ((await answeringPid(crashy)) ?? pid) !== pid, 'alpha back');
      }
    }
    await until(() => mesh.output().includes('GAVE UP ON alpha'), 'the give-up');

    expect(mesh.output()).toMatch(/alpha exited with code 4, after 3 crashes within 60 s/);
    await expect(fakeServiceInfo(crashy)).rejects.toThrow();
    await expect(fakeServiceInfo(steady)).resolves.toMatchObject({ pid: expect.any(Number) });
    expect(mesh.child.exitCode).toBeNull();
    mesh.child.kill('SIGTERM');
    await expect(mesh.exit).resolves.toBe(0);
  });

  it('stops everything on a Ctrl-C after the services are ready but before the mesh is up', async () => {
    const mesh = await startMesh([await writeFakeService(dir, 'alpha', { startup: printsPid })], {
      hangAfterUp: true,
    });
    await until(() => mesh.output().includes('after-up started'), 'the step after start-up');
    const [servicePid, redisPid] = pidsIn(mesh.output()) as [number, number];

    mesh.child.kill('SIGINT');

    await expect(mesh.exit).resolves.toBe(0);
    expect(mesh.output()).not.toContain('mesh is up');
    expect(isAlive(servicePid)).toBe(false);
    expect(isAlive(redisPid)).toBe(false);
  });

  it('leaves no process and no port behind when mesh up itself is SIGKILLed', async () => {
    const alpha = await writeFakeService(dir, 'alpha', { startup: printsPid });
    const mesh = await startMesh([alpha]);
    await until(() => mesh.output().includes('mesh is up'), 'mesh is up');
    const pids = pidsIn(mesh.output());
    const redisPort = Number(mesh.output().match(/redis:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    mesh.child.kill('SIGKILL');
    await mesh.exit;

    await until(() => pids.every((pid) => !isAlive(pid)), 'every child to stop by itself', 8000);
    await expect(isPortFree(alpha.port)).resolves.toBe(true);
    await expect(isPortFree(redisPort)).resolves.toBe(true);
  });
});

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The pid answering for `service` now, or undefined while nothing does. */
function answeringPid(service: ServiceSpec): Promise<number | undefined> {
  return fakeServiceInfo(service).then(
    (info) => info.pid,
    () => undefined,
  );
}
