import type { Writable } from 'node:stream';
import { type Command, commands as defaultCommands } from './commands.js';

export interface RunCliOptions {
  commands?: Readonly<Record<string, Command>>;
  stderr?: Writable;
}

/** Dispatches `mesh <command> [args]` on the command table; unknown or missing names get the usage. */
export async function runCli(
  argv: readonly string[],
  { commands = defaultCommands, stderr = process.stderr }: RunCliOptions = {},
): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command) return command.run(args);
  const wantedHelp = name === undefined || name === 'help' || name === '--help' || name === '-h';
  const width = Math.max(...Object.keys(commands).map((key) => key.length));
  const lines = Object.entries(commands).map(([key, { summary }]) => `  ${key.padEnd(width)}  ${summary}`);
  stderr.write(
    `${wantedHelp ? '' : `mesh: unknown command "${name}"\n`}usage: mesh <command>\n\n${lines.join('\n')}\n`,
  );
  return wantedHelp ? 0 : 1;
}
