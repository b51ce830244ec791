import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { testEnv } from '@mesh/testing';
import { buildTraceExplorer, type TraceExplorer } from '@mesh/trace-explorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTarget } from '../../deploy/image/image-target.js';
import { checkImportsScript, isRuntimeFile, stageRuntime } from '../../deploy/image/stage-runtime.js';
import { readWorkspaces, serviceWorkspaces } from '../../deploy/image/workspaces.js';
import { repoRoot } from './support/deploy-tree.js';
import { childEnv } from './support/env.js';
import { linkNodeModules } from './support/link-node-modules.js';

const stageRoot = mkdtempSync(join(tmpdir(), 'mesh-image-'));
const staged = new Map<string, string[]>();

// Every image there is: one per service, and the migration image.
const targets = [...serviceWorkspaces(readWorkspaces(repoRoot)).keys(), 'migrate'];

beforeAll(async () => {
  for (const name of targets) {
    const target = imageTarget(repoRoot, name);
    const outDir = join(stageRoot, name);
    staged.set(name, await stageRuntime({ root: repoRoot, target, outDir }));
    linkNodeModules(outDir, join(repoRoot, 'node_modules'), target.workspaces);
  }
});

afterAll(() => rmSync(stageRoot, { recursive: true, force: true }));

describe('the runtime files an image carries', () => {
  it("holds the service's compiled code and its workspace dependencies, nothing else", () => {
    const files = staged.get('user-cache') ?? [];
    const folders = new Set(files.map((file) => file.split('/').slice(0, 2).join('/')));

    expect([...folders].sort()).toEqual([
      'main.js',
      'package.json',
      'packages/cache',
      'packages/catalogue',
      'packages/config',
      'packages/contracts',
      'packages/db',
      'packages/errors',
      'packages/grpc',
      'packages/kit',
      'packages/telemetry',
      'packages/wire',
      'services/user-cache',
    ]);
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files.filter((file) => /test|testing\/|bench\//.test(file))).toEqual([]);
    expect(files).toContain('services/user-cache/src/generated/prisma/client.js');
    expect(files.filter((file) => file.includes('prisma/migrations'))).toEqual([]);
  });

  it('points every package export at a compiled file that ships, dropping test-only exports', () => {
    const dir = join(stageRoot, 'user-cache');
    const db = JSON.parse(readFileSync(join(dir, 'packages/db/package.json'), 'utf8'));
    const exportsShip = (staged.get('user-cache') ?? [])
      .filter((file) => file.endsWith('package.json') && file !== 'package.json')
      .flatMap((file) =>
        Object.values(
          JSON.parse(readFileSync(join(dir, file), 'utf8')).exports as Record<string, string>,
        ).map((target) => existsSync(join(dir, file, '..', target))),
      );

    expect(db.exports).toEqual({ '.': './src/index.js' });
    expect(exportsShip.every(Boolean)).toBe(true);
  });

  it("gives the migration image every service's SQL migrations and the migrate entry", () => {
    const files = staged.get('migrate') ?? [];
    const services = [...serviceWorkspaces(readWorkspaces(repoRoot)).values()];

    for (const service of services) {
      expect(
        files.some(
          (file) => file.startsWith(`${service.dir}/prisma/migrations/`) && file.endsWith('migration.sql'),
        ),
      ).toBe(true);
    }
    expect(files).toEqual(
      expect.arrayContaining(['deploy/migrate/main.js', 'deploy/migrate/migrate-all.js', 'main.js']),
    );
    expect(readFileSync(join(stageRoot, 'migrate', 'main.js'), 'utf8')).toContain(
      "import('./deploy/migrate/main.js')",
    );
  });

  it('leaves tests, type tests, test helpers and declarations out', () => {
    expect(isRuntimeFile('packages/db/src/migrate.ts')).toBe(true);
    expect(isRuntimeFile('packages/db/src/migrate.test.ts')).toBe(false);
    expect(isRuntimeFile('packages/sdk/src/create-mesh-client.test-d.ts')).toBe(false);
    expect(isRuntimeFile('packages/db/src/testing/create-test-database.ts')).toBe(false);
    expect(isRuntimeFile('packages/x/src/types.d.ts')).toBe(false);
  });

  it('refuses a target that is neither a service nor migrate', () => {
    expect(() => imageTarget(repoRoot, 'trace-exporer')).toThrow(/unknown image target "trace-exporer"/);
  });
});

describe("the image build's import check", () => {
  it.each(targets)('loads the whole %s module graph from the staged tree under plain node', (name) => {
    const appDir = join(stageRoot, name);
    const script = join(stageRoot, `check-${name}.mjs`);
    writeFileSync(script, checkImportsScript(imageTarget(repoRoot, name), appDir));

    const result = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: childEnv({ NODE_OPTIONS: '' }),
    });

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`imports of ${name} resolve\n`);
    expect(result.status).toBe(0);
  });
});

describe('a staged service image', () => {
  let child: ChildProcess | undefined;
  let explorer: TraceExplorer | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await explorer?.close();
  });

  it('starts under plain node (no tsx), answers /readyz, exports its spans, and exits 0 on SIGTERM', async () => {
    const dir = join(stageRoot, 'user-cache');
    // A real OTLP receiver: the spans reach it from the export worker's compiled file.
    explorer = await buildTraceExplorer();
    const endpoint = await explorer.listen(0, '127.0.0.1');
    child = spawn(process.execPath, ['--enable-source-maps', 'main.js'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: childEnv({
        NODE_OPTIONS: '',
        HOST: '127.0.0.1',
        USER_CACHE_PORT: '0',
        MESH_SERVICE_TOKEN: 'image-test-token-0123456789abcdef',
        DATABASE_URL: testEnv.DATABASE_URL,
        REDIS_URL: testEnv.REDIS_URL,
        CACHE_KEY_PREFIX: `image-test-${process.pid}:`,
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      }),
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    let url: string | undefined;
    for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'user-cache listening') {
        url = entry.url;
        break;
      }
    }

    const ready = await fetch(`${url}/readyz`);
    // Probes are not traced; any other request is, whatever it answers.
    const traced = await fetch(`${url}/no-such-route`);
    child.kill('SIGTERM');

    expect(ready.status).toBe(200);
    expect(traced.status).toBe(404);
    expect(await exited).toBe(0);
    // Shutting down flushed the batch through the worker.
    const services = explorer.store.list().traces.flatMap((trace) => trace.services);
    expect(services).toContain('user-cache');
  });
});
