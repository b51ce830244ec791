import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const helper = fileURLToPath(new URL('./exit-on-signals.ts', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A process that registers two closers (the second failing when `fail`), says `ready`, and waits. */
async function startProcess(fail: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'exit-on-signals-'));
  dirs.push(dir);
  const script = join(dir, 'service.ts');
  await writeFile(
    script,
    `import { exitOnSignals } from ${JSON.stringify(helper)};
exitOnSignals(
  async () => console.log('closed server'),
  async () => { ${fail ? "throw new Error('flush failed');" : "console.log('flushed telemetry');"} },
);
setInterval(() => {}, 1000);
console.log('ready');
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  while (!out.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`exited before ready: ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, out: () => out };
}

describe('exitOnSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s runs each closer in turn, then exits 0',
    async (signal) => {
      const { child, out } = await startProcess(false);
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      expect(code).toBe(0);
      expect(out().split('\n').filter(Boolean)).toEqual(['ready', 'closed server', 'flushed telemetry']);
    },
    30_000,
  );

  it('exits 1 when a closer fails', async () => {
    const { child } = await startProcess(true);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(1);
  }, 30_000);
});
