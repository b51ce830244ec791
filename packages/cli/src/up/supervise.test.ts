import { afterEach, describe, expect, it } from 'vitest';
import { captureStream as collect } from '../testing/capture-stream.js';
import { isAlive } from '../testing/is-alive.js';
import { createOutput } from './output.js';
import { type ChildSpec, type Supervisor, supervise } from './supervise.js';

function node(name: string, script: string): ChildSpec {
  return { name, command: process.execPath, args: ['-e', script], cwd: process.cwd(), env: { PATH: '' } };
}

const started: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((supervisor) => supervisor.stop({ timeoutMs: 100 })));
});

describe('supervise', () => {
  it('prefixes every line of each child with its padded name, stdout and stderr apart', async () => {
    const stdout = collect();
    const stderr = collect();
    const output = createOutput({
      stdout: stdout.stream,
      stderr: stderr.stream,
      color: false,
      names: ['alpha', 'longer-name'],
    });
    const supervisor = supervise({
      children: [
        node('alpha', 'console.log("hello\\nworld"); console.error("oops")'),
        node('longer-name', 'process.stdout.write("no newline at the end")'),
      ],
      onLine: output.line,
    });
    started.push(supervisor);
    await waitFor(() => stdout.text().split('\n').length === 4 && stderr.text().length > 0);
    await supervisor.stop();

    expect(stdout.text().split('\n').sort()).toEqual([
      '',
      'alpha       | hello',
      'alpha       | world',
      'longer-name | no newline at the end',
    ]);
    expect(stderr.text()).toBe('alpha       | oops\n');
  });

  it('colours the names only when asked to', () => {
    const stdout = collect();
    const output = createOutput({ stdout: stdout.stream, stderr: stdout.stream, color: true, names: ['a'] });
    output.line('a', 'hi');
    expect(stdout.text()).toContain('\u001b[36ma   \u001b[0m');
  });

  it('reports the first child that exits by itself, with its code', async () => {
    const supervisor = supervise({
      children: [node('steady', 'setInterval(() => {}, 1000)'), node('crashy', 'process.exit(3)')],
      onLine: () => {},
    });
    started.push(supervisor);
    await expect(supervisor.exited).resolves.toMatchObject({ name: 'crashy', code: 3 });
  });

  it('reports a child that cannot be started at all', async () => {
    const supervisor = supervise({
      children: [{ name: 'ghost', command: '/nonexistent/bin', args: [], cwd: process.cwd(), env: {} }],
      onLine: () => {},
    });
    started.push(supervisor);
    const exit = await supervisor.exited;
    expect(exit.name).toBe('ghost');
    expect(exit.error).toBeInstanceOf(Error);
  });

  it('stops every child on shutdown: SIGTERM first, SIGKILL for one that ignores it', async () => {
    const lines: string[] = [];
    const supervisor = supervise({
      children: [
        node(
          'polite',
          'console.log("up"); process.on("SIGTERM", () => { console.log("bye"); process.exit(0); }); setInterval(() => {}, 1000)',
        ),
        node('stubborn', 'console.log("up"); process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'),
      ],
      onLine: (name, line) => lines.push(`${name}:${line}`),
    });
    started.push(supervisor);
    await waitFor(() => lines.filter((line) => line.endsWith(':up')).length === 2);

    await supervisor.stop({ timeoutMs: 500 });

    expect(lines).toContain('polite:bye');
    expect(supervisor.pids).toHaveLength(2);
    for (const pid of supervisor.pids) expect(isAlive(pid)).toBe(false);
  });

  it('stops what a child started too, so no process is left behind', async () => {
    const lines: string[] = [];
    const supervisor = supervise({
      children: [
        node(
          'parent',
          'const c = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000)',
        ),
      ],
      onLine: (_name, line) => lines.push(line),
    });
    started.push(supervisor);
    await waitFor(() => lines.length === 1);
    const grandchild = Number(lines[0]);
    expect(isAlive(grandchild)).toBe(true);

    await supervisor.stop({ timeoutMs: 2000 });

    await waitFor(() => !isAlive(grandchild));
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
