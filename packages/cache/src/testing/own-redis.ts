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

/** Starts `redis-server` from the PATH on a free port, persisting nothing. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ];
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const failed = once(child, 'error').then(([error]) => {
      throw error;
    });
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await Promise.race([answersPing(port), failed])) return;
      await sleep(25);
    }
    throw new Error(`redis-server did not answer on port ${port}`);
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
