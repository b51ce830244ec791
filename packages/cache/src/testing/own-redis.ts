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

async function answersPing(port: number): Promise<boolean> {
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
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Spawns `redis-server` with `args` and resolves once it answers PING on `port`. Rejects if the
 * process cannot start or exits first (a port another process took since it was free, say), or if
 * it does not answer within five seconds; the caller owns the child either way.
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
      throw new Error(`redis-server on port ${port} exited (${signal ?? code}) before it answered`);
    }),
  ]);
  failed.catch(() => {});
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (await Promise.race([answersPing(port), failed])) return child;
    await Promise.race([sleep(25), failed]);
  }
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
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, [Symbol.asyncDispose]: stop };
}
