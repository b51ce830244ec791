import { mkdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { CliError } from '../errors.js';
import { redisServerPid } from './ping-redis.js';
import { pipeLines } from './pipe-lines.js';
import { spawnLeashed } from './spawn-leashed.js';
import { within } from './within.js';

export interface StartRedisOptions {
  /** The redis-server executable. */
  bin: string;
  /** Its working directory (created if missing); nothing is persisted there. */
  dir: string;
  port: number;
  /** Its lines once it answers; the start-up banner and warnings before that go only into a failure's message. */
  onLine?: (line: string) => void;
  /** How long it gets to answer PING. */
  timeoutMs?: number;
}

export interface RunningRedis {
  url: string;
  port: number;
  /** redis-server's own pid (it runs on a leash, see leash.ts). */
  pid: number;
  /** Resolves if it ends without `stop`. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 (no RDB, no AOF) in its own process group,
 * so a Ctrl-C reaches `mesh` first and Redis outlives the services' drain. It runs on a leash
 * (leash.ts), so it stops by itself when `mesh` is SIGKILLed.
 */
export async function startRedis({
  bin,
  dir,
  port,
  onLine = () => {},
  timeoutMs = 10_000,
}: StartRedisOptions): Promise<RunningRedis> {
  await mkdir(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const {
    child,
    pid: serverPid,
    kill,
  } = spawnLeashed({
    command: bin,
    args: [...args, '--dir', dir, '--loglevel', 'warning', '--daemonize', 'no'],
    cwd: dir,
    parentGoneSignal: 'SIGTERM',
    graceMs: 2000,
  });
  const recent: string[] = [];
  // The banner and the memory-overcommit warning (about background saves, which this Redis
  // never makes) would be a newcomer's first lines: they are shown only if it fails to start.
  let answered = false;
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    if (answered) onLine(line);
  };
  const output = Promise.all([pipeLines(child.stdout, remember), pipeLines(child.stderr, remember)]);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    },
  );
  const killOnExit = () => kill('SIGKILL');
  process.on('exit', killOnExit);

  const pid = await serverPid;
  const failure = await waitForOwnPid(pid, port, timeoutMs, ended);
  if (failure) {
    kill('SIGKILL');
    process.off('exit', killOnExit);
    await within(output, 1000);
    throw new CliError(
      'REDIS_FAILED',
      `redis-server did not start on port ${port} (${failure})\n${recent.join('\n')}`,
    );
  }
  answered = true;

  let stopping = false;
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: pid ?? 0,
    exited: ended.then((result) => (stopping ? new Promise<never>(() => {}) : result)),
    stop: ({ timeoutMs: stopTimeoutMs = 2000 } = {}) => {
      stopping = true;
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          kill('SIGTERM');
          if ((await within(ended, stopTimeoutMs, 'timeout')) === 'timeout') {
            kill('SIGKILL');
            await ended;
          }
        }
        process.off('exit', killOnExit);
        await within(output, 1000);
      })();
      return stopped;
    },
  };
}

/**
 * Why our redis-server did not answer in time, or undefined once it did. It must be ours
 * answering (INFO's process_id), not some other server that holds the port.
 */
async function waitForOwnPid(
  pid: number | undefined,
  port: number,
  timeoutMs: number,
  ended: Promise<{ code: number | null; error?: Error }>,
): Promise<string | undefined> {
  let exit: { code: number | null; error?: Error } | undefined;
  void ended.then((result) => {
    exit = result;
  });
  const deadline = Date.now() + timeoutMs;
  while ((await redisServerPid({ port, timeoutMs: 500 })) !== pid || pid === undefined) {
    if (exit) return exit.error?.message ?? `exit code ${exit.code}`;
    if (Date.now() > deadline) return `no answer within ${timeoutMs} ms`;
    await delay(50);
  }
  return undefined;
}
