import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../repo-root.js';
import type { ServiceSpec } from '../services.js';
import { isAlive, writeFakeService } from './testing/fake-service.js';

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

async function startMesh(services: readonly ServiceSpec[]): Promise<MeshProcess> {
  const script = join(dir, 'mesh.mjs');
  await writeFile(
    script,
    `import { runUp } from ${JSON.stringify(runUpModule)};
const options = JSON.parse(process.argv[2]);
process.exitCode = await runUp([], { ...options, color: false, migrate: async () => ({ applied: [] }) });
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
    ['--import', 'tsx', script, JSON.stringify({ services, stateDir: join(dir, 'state') })],
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
  const redis = output.match(/redis-server, pid (\d+)\)/)?.[1];
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

  it('stops the mesh and exits 1 when a service dies', async () => {
    const mortal = await writeFakeService(dir, 'alpha', {
      startup: `${printsPid} setTimeout(() => process.exit(4), 3000);`,
    });
    const mesh = await startMesh([mortal]);

    await expect(mesh.exit).resolves.toBe(1);
    expect(mesh.output()).toContain('alpha exited with code 4');
    for (const pid of pidsIn(mesh.output())) if (pid) expect(isAlive(pid)).toBe(false);
  });
});
