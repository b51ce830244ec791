import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { pipeLines } from './pipe-lines.js';
import { within } from './within.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

export interface SuperviseOptions {
  children: readonly ChildSpec[];
  /** Receives every line a child prints, as it prints it. */
  onLine: (name: string, line: string, stream: 'stdout' | 'stderr') => void;
}

export interface StopOptions {
  /** How long children get to exit after SIGTERM before SIGKILL. */
  timeoutMs?: number;
}

export interface Supervisor {
  /** Resolves with the first child that ends by itself (not through `stop`); pending while all run. */
  readonly exited: Promise<ChildExit>;
  readonly pids: readonly number[];
  /** SIGTERM every child, wait (bounded), SIGKILL the stragglers; resolves once all are gone. */
  stop(options?: StopOptions): Promise<void>;
}

interface Supervised {
  spec: ChildSpec;
  child: ChildProcess;
  exit: Promise<ChildExit>;
  output: Promise<unknown>;
}

/**
 * Starts each child in its own process group, so a Ctrl-C at the terminal reaches only
 * `mesh`, which then stops the services in order (they need Postgres while they drain).
 */
export function supervise({ children, onLine }: SuperviseOptions): Supervisor {
  let stopping = false;
  const running = children.map((spec) => start(spec, onLine));
  // Last resort if `mesh` itself dies without stopping them (process.exit, a crash).
  const killAll = () => {
    for (const { child } of running) if (isRunning(child)) signal(child, 'SIGKILL');
  };
  process.on('exit', killAll);

  const exited = new Promise<ChildExit>((resolve) => {
    for (const { exit } of running) {
      void exit.then((result) => {
        if (!stopping) resolve(result);
      });
    }
  });

  let stopped: Promise<void> | undefined;
  const stop = ({ timeoutMs = 10_000 }: StopOptions = {}) => {
    stopping = true;
    stopped ??= Promise.all(running.map((entry) => stopOne(entry, timeoutMs))).then(() => {
      process.off('exit', killAll);
    });
    return stopped;
  };

  return {
    exited,
    pids: running.flatMap(({ child }) => (child.pid === undefined ? [] : [child.pid])),
    stop,
  };
}

function start(spec: ChildSpec, onLine: SuperviseOptions['onLine']): Supervised {
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = Promise.all([
    child.stdout ? pipeLines(child.stdout, (line) => onLine(spec.name, line, 'stdout')) : undefined,
    child.stderr ? pipeLines(child.stderr, (line) => onLine(spec.name, line, 'stderr')) : undefined,
  ]);
  const exit = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ name: spec.name, code, signal }));
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ name: spec.name, code: null, signal: null, error });
    });
  });
  return { spec, child, exit, output };
}

async function stopOne({ child, exit, output }: Supervised, timeoutMs: number): Promise<void> {
  if (isRunning(child)) {
    signal(child, 'SIGTERM');
    if ((await within(exit, timeoutMs, 'timeout')) === 'timeout') {
      signal(child, 'SIGKILL');
      await exit;
    }
  }
  sweepGroup(child);
  // Let the last lines through, but never wait on a pipe a stray grandchild still holds.
  await within(Promise.race([output, once(child, 'close')]), 1000);
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Whatever the child started and left in its process group goes too. */
function sweepGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is empty, as it should be.
  }
}

/** Signals the child's whole process group (it leads one: `detached`), so its own children go too. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    child.kill(name);
  }
}
