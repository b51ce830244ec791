import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  type ChildExit,
  type Incarnation,
  type KeepAliveEvent,
  type KeptAlive,
  keepAlive,
} from './keep-alive.js';
import { pipeLines } from './pipe-lines.js';
import { createRestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import { within } from './within.js';

export type { ChildExit } from './keep-alive.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}

export interface SuperviseOptions {
  children: readonly ChildSpec[];
  /** Receives every line a child prints, as it prints it. */
  onLine: (name: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** When a child that ends by itself is started again, and when it is given up on. */
  restart?: RestartPolicyOptions;
  /** Each crash, restart and give-up, as it happens. */
  onEvent?: (name: string, event: KeepAliveEvent) => void;
  /** How long a child gets to exit after SIGTERM before SIGKILL, when it is stopped. */
  stopTimeoutMs?: number;
}

export interface StopOptions {
  /** How long children get to exit after SIGTERM before SIGKILL. */
  timeoutMs?: number;
}

export interface Supervisor {
  /** Resolves with the first child that ends by itself (not through `stop`), even if it is restarted. */
  readonly exited: Promise<ChildExit>;
  /** Resolves with the last exit of a child once it has been given up on. */
  readonly gaveUp: Promise<ChildExit>;
  /** The pids running now. */
  readonly pids: readonly number[];
  /** The pid of the child called `name` running now, if it runs. */
  pidOf(name: string): number | undefined;
  /** SIGTERM every child, wait (bounded), SIGKILL the stragglers; resolves once all are gone. */
  stop(options?: StopOptions): Promise<void>;
}

/**
 * Starts each child in its own process group, so a Ctrl-C at the terminal reaches only
 * `mesh`, which then stops the services in order (they need Postgres while they drain). A child
 * that ends by itself is started again as `restart` says (see restart-policy.ts).
 *
 * Every child gets MESH_PARENT_PID: a Node child preloading exit-with-parent.ts stops itself
 * once this process is gone, even after a SIGKILL that left no time to stop it.
 */
export function supervise({
  children,
  onLine,
  restart,
  onEvent = () => {},
  stopTimeoutMs = 10_000,
}: SuperviseOptions): Supervisor {
  const live = new Set<ChildProcess>();
  let timeoutMs = stopTimeoutMs;
  const run = (spec: ChildSpec): Incarnation => {
    const started = start(spec, onLine);
    live.add(started.child);
    void started.exit.then(() => live.delete(started.child));
    return {
      pid: started.child.pid,
      exit: started.exit,
      stop: () => stopOne(started, timeoutMs),
    };
  };
  const kept: KeptAlive[] = children.map((spec) =>
    keepAlive({
      name: spec.name,
      first: run(spec),
      restart: () => run(spec),
      policy: createRestartPolicy(restart),
      onEvent: (event) => onEvent(spec.name, event),
    }),
  );
  // Last resort if `mesh` itself dies without stopping them (process.exit, a crash).
  const killAll = () => {
    for (const child of live) if (isRunning(child)) signal(child, 'SIGKILL');
  };
  process.on('exit', killAll);

  let stopped: Promise<void> | undefined;
  return {
    exited: Promise.race(kept.map((child) => child.firstExit)),
    gaveUp: Promise.race(kept.map((child) => child.gaveUp)),
    get pids() {
      return kept.flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
    },
    pidOf: (name) => kept[children.findIndex((spec) => spec.name === name)]?.pid,
    stop: (options = {}) => {
      timeoutMs = options.timeoutMs ?? timeoutMs;
      stopped ??= Promise.all(kept.map((child) => child.stop())).then(() => {
        process.off('exit', killAll);
      });
      return stopped;
    },
  };
}

interface Started {
  child: ChildProcess;
  exit: Promise<ChildExit>;
  output: Promise<unknown>;
}

function start(spec: ChildSpec, onLine: SuperviseOptions['onLine']): Started {
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...spec.env, MESH_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = Promise.all([
    child.stdout ? pipeLines(child.stdout, (line) => onLine(spec.name, line, 'stdout')) : undefined,
    child.stderr ? pipeLines(child.stderr, (line) => onLine(spec.name, line, 'stderr')) : undefined,
  ]);
  const exit = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      // Whatever it started and left in its process group goes with it, so a restart finds its port free.
      sweepGroup(child);
      resolve({ name: spec.name, code, signal });
    });
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ name: spec.name, code: null, signal: null, error });
    });
  });
  return { child, exit, output };
}

async function stopOne({ child, exit, output }: Started, timeoutMs: number): Promise<void> {
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
