import type { Writable } from 'node:stream';

// ANSI foreground colours, picked in turn so neighbours differ.
const palette = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

export interface OutputOptions {
  stdout: Writable;
  stderr: Writable;
  color: boolean;
  /** Every name that will prefix lines, so they all pad to the same width. */
  names: readonly string[];
}

/** Where every line `mesh up` prints goes: each prefixed with a padded (and coloured) name. */
export interface Output {
  line(name: string, text: string, stream?: 'stdout' | 'stderr'): void;
  /** A line from `mesh` itself. */
  info(text: string): void;
  /** A line as it is, no prefix: the summary people copy URLs from. */
  plain(text: string): void;
  /** A warning nobody can miss: a framed, bright block on stderr. */
  loud(lines: readonly string[]): void;
}

export function createOutput({ stdout, stderr, color, names }: OutputOptions): Output {
  const width = Math.max(...names.map((name) => name.length), 4);
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const prefix = (name: string) => {
    const index = names.indexOf(name);
    const padded = name.padEnd(width);
    return `${index < 0 ? padded : paint(palette[index % palette.length] ?? 0, padded)} ${paint(90, '|')}`;
  };
  const line = (name: string, text: string, stream: 'stdout' | 'stderr' = 'stdout') => {
    (stream === 'stdout' ? stdout : stderr).write(`${prefix(name)} ${text}\n`);
  };
  return {
    line,
    info: (text) => line('mesh', text),
    plain: (text) => {
      stdout.write(`${text}\n`);
    },
    loud: (lines) => {
      const bar = '!'.repeat(Math.max(...lines.map((text) => text.length)) + 6);
      const block = [bar, ...lines.map((text) => `!! ${text}`), bar];
      stderr.write(`${block.map((text) => paint(1, paint(93, text))).join('\n')}\n`);
    },
  };
}
