import { repoRoot } from './repo-root.js';

/** One `mesh <name>` command. Returns the process exit code. */
export interface Command {
  summary: string;
  run(args: readonly string[]): Promise<number>;
}

/** Every command; each loads its code only when run, so `mesh bench` never loads Postgres. */
export const commands: Readonly<Record<string, Command>> = {
  up: {
    summary:
      'start Postgres, Redis and every service on this machine, with demo data and traffic (`--no-traffic`: none); Ctrl-C stops all of it',
    run: async (args) => (await import('./up/run-up.js')).runUp(args),
  },
  call: {
    summary:
      'call a procedure of the running mesh by name (`mesh call user-cache.getUsers \'{"ids":["700000001n"]}\'`); `--list` shows them all',
    run: async (args) => (await import('./call/run-call.js')).runCall(args),
  },
  sync: {
    summary: 'sync channel posts into ingestion, a progress bar per channel (`mesh sync --limit 500`)',
    run: async (args) => (await import('./sync/run-sync.js')).runSync(args),
  },
  bench: {
    summary: 'run every benchmark suite, or the ones named (`mesh bench rpc`)',
    // Suites are found by path (`<package>/bench/suites.ts`), so the CLI imports no package's bench.
    run: async (args) => (await import('@mesh/bench')).runBench([...args], { root: repoRoot }),
  },
};
