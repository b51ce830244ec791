import { join, relative } from 'node:path';
import type { Writable } from 'node:stream';
import { buildReport } from './bench-report.js';
import { findSuites } from './find-suites.js';
import { formatTable } from './format-table.js';
import { repoRoot } from './repo-root.js';
import type { SuiteEntry } from './suite.js';
import { writeReport } from './write-report.js';

export interface RunBenchOptions {
  /** The suites to choose from; by default every `bench/suites.ts` under `root` (see findSuites). */
  suites?: Readonly<Record<string, SuiteEntry>>;
  /** The repo whose suites run and whose `bench/results` they write to; this one by default. */
  root?: string;
  /** Where `<suite>.json` goes; `bench/results` under `root` by default. */
  resultsDir?: string;
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * `mesh bench [suite...]`: runs the named suites (all when none is named), prints a table
 * per suite and writes its JSON. Exit code 0, 1 when a suite failed or a case saw errors,
 * 2 for an unknown suite name.
 */
export async function runBench(argv: readonly string[], options: RunBenchOptions = {}): Promise<number> {
  const { root = repoRoot, stdout = process.stdout, stderr = process.stderr } = options;
  const { resultsDir = join(root, 'bench', 'results') } = options;
  const suites = options.suites ?? (await findSuites(root));
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(usage(suites));
    return 0;
  }
  const names = argv.length === 0 ? Object.keys(suites) : [...new Set(argv)];
  const unknown = names.filter((name) => !Object.hasOwn(suites, name));
  if (unknown.length > 0) {
    stderr.write(`bench: unknown suite ${unknown.map((name) => `"${name}"`).join(', ')}\n${usage(suites)}`);
    return 2;
  }
  let code = 0;
  for (const name of names) {
    const entry = suites[name] as SuiteEntry;
    try {
      stderr.write(`bench ${name}: running\n`);
      const suite = await entry.load();
      const result = await suite.run({ progress: (line) => stderr.write(`bench ${name}: ${line}\n`) });
      const report = buildReport(name, result);
      const file = await writeReport(report, resultsDir);
      stdout.write(`${formatTable(report)}wrote ${relative(process.cwd(), file) || file}\n\n`);
      const failing = report.cases.filter((c) => c.errors);
      if (failing.length > 0) {
        stderr.write(`bench ${name}: ${failing.length} case(s) saw failed or wrong answers; see the notes\n`);
        code = 1;
      }
    } catch (error) {
      stderr.write(`bench ${name}: failed: ${error instanceof Error ? error.message : String(error)}\n`);
      code = 1;
    }
  }
  return code;
}

function usage(suites: Readonly<Record<string, SuiteEntry>>): string {
  const width = Math.max(...Object.keys(suites).map((name) => name.length));
  const lines = Object.entries(suites).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return `usage: mesh bench [suite...]   (no suite: all of them)\n\nsuites:\n${lines.join('\n')}\n`;
}
