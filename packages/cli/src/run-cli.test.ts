import { describe, expect, it } from 'vitest';
import type { Command } from './commands.js';
import { commands } from './commands.js';
import { runCli } from './run-cli.js';
import { captureStream as capture } from './testing/capture-stream.js';

describe('runCli', () => {
  it('runs the command named first with the rest of the arguments, and returns its exit code', async () => {
    const seen: (readonly string[])[] = [];
    const table: Record<string, Command> = {
      greet: {
        summary: 'says hello',
        run: async (args) => {
          seen.push(args);
          return 7;
        },
      },
    };
    await expect(runCli(['greet', 'a', 'b'], { commands: table })).resolves.toBe(7);
    expect(seen).toEqual([['a', 'b']]);
  });

  it('prints the usage and fails on an unknown command', async () => {
    const stderr = capture();
    await expect(runCli(['nope'], { stderr: stderr.stream })).resolves.toBe(1);
    expect(stderr.text()).toContain('unknown command "nope"');
    expect(stderr.text()).toMatch(/ {2}up {3,}start Postgres/);
  });

  it('prints the usage and succeeds on help or no command', async () => {
    const stderr = capture();
    await expect(runCli([], { stderr: stderr.stream })).resolves.toBe(0);
    await expect(runCli(['--help'], { stderr: stderr.stream })).resolves.toBe(0);
    expect(stderr.text()).toContain('usage: mesh <command>');
  });

  it('has up and bench in the command table', () => {
    expect(Object.keys(commands)).toEqual(expect.arrayContaining(['up', 'bench']));
  });
});
