import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const leashEntry = fileURLToPath(new URL('./leash.ts', import.meta.url));

export interface SpawnLeashedOptions {
  command: string;
  args: readonly string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  /** What the program gets once `mesh up` is gone (its own fast, clean stop). */
  parentGoneSignal: NodeJS.Signals;
  /** How long it gets after that before SIGKILL. */
  graceMs?: number;
}

export interface LeashedProcess {
  /** The leash: signal it (it passes signals on), watch its exit (it exits as the program did). */
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The program's own pid, once the leash reports it; undefined if it could not start. */
  pid: Promise<number | undefined>;
  /** Passes `signal` on through the leash; SIGKILL, which a leash cannot pass on, goes to the whole group. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `command` on a leash (see leash.ts), in a process group of its own so a Ctrl-C at the
 * terminal reaches only `mesh`. The program's stdout and stderr are the returned child's.
 */
export function spawnLeashed({
  command,
  args,
  cwd,
  uid,
  gid,
  parentGoneSignal,
  graceMs = 5000,
}: SpawnLeashedOptions): LeashedProcess {
  const spec = { command, args, cwd, uid, gid, parentGoneSignal, graceMs, parentPid: process.pid };
  // Node types a spawn with an 'ipc' slot as a bare ChildProcess; stdout and stderr are pipes here.
  const child = spawn(process.execPath, [leashEntry, JSON.stringify(spec)], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  }) as ChildProcessByStdio<null, Readable, Readable>;
  // The channel must not keep `mesh` alive by itself; the pipes and the exit event do what's needed.
  child.channel?.unref();
  const pid = Promise.race([
    once(child, 'message').then(([message]) => (message as { pid?: number }).pid),
    once(child, 'exit').then(() => undefined),
    once(child, 'error').then(() => undefined),
  ]);
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    if (signal !== 'SIGKILL') {
      child.kill(signal);
      return;
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  return { child, pid, kill };
}
