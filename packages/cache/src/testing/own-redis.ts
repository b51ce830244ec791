import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A redis-server of a test's own, to stop and start without touching the shared one. */
export interface OwnRedis extends AsyncDisposable {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: like a crash, nothing flushed) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: it persists nothing). */
  start(): Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The process id of the Redis answering on `port` (its `INFO server`), or undefined if none answers. */
async function answeringPid(port: number): Promise<number | undefined> {
  const probe = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    const pid = /^process_id:(\d+)/m.exec(await probe.info('server'))?.[1];
    return pid === undefined ? undefined : Number(pid);
  } catch {
    return undefined;
  } finally {
    probe.disconnect();
  }
}

/** Kills (SIGKILL) every child still running and waits for each to exit. */
export async function killChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }),
  );
}

/** The child exited (or could not start) before it answered: its port may be taken; try another. */
export class RedisExitedEarly extends Error {}

/**
 * Spawns `redis-server` with `args` and resolves once it answers on `port`, as itself: the
 * answering server's process id is the child's, so a Redis of someone else's that took the
 * port since it was free does not count. Rejects if the child cannot start, with
 * `RedisExitedEarly` if it exits first, and if it does not answer within five seconds (killing
 * it then); the caller owns the child.
 */
export async function spawnRedisServer(
  port: number,
  args: string[],
  children: ChildProcess[],
): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), ...args], { stdio: 'ignore' });
  children.push(child);
  const failed = Promise.race([
    once(child, 'error').then(([error]) => {
      throw error;
    }),
    once(child, 'exit').then(([code, signal]) => {
      throw new RedisExitedEarly(
        `redis-server on port ${port} exited (${signal ?? code}) before it answered`,
      );
    }),
  ]);
  failed.catch(() => {});
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const pid = await Promise.race([answeringPid(port), failed]);
    if (pid !== undefined && pid === child.pid) return child;
    await Promise.race([sleep(25), failed]);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}`);
}

/** Starts `redis-server` from the PATH on a free port, persisting nothing. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
    const spawned: ChildProcess[] = [];
    try {
      child = await spawnRedisServer(port, args, spawned);
    } catch (error) {
      child = spawned[0];
      throw error;
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running) await killChildren([running]);
  };

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, [Symbol.asyncDispose]: stop };
}
