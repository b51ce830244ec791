import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface SpawnedService extends AsyncDisposable {
  url: string;
  /** What the process wrote to stderr, for a failing test's message. */
  stderr(): string;
}

/** A free loopback port (closed again at once; the child binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}): ${stderr()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await delay(100);
  }
  throw new Error(`service at ${url} not ready: ${stderr()}`);
}

/**
 * A service as `mesh up` runs it: its own process (`node --import tsx <entry>`), so its
 * telemetry is its own (service.name, exporter, instrumentation), as in production.
 */
export async function spawnService(options: {
  entry: string;
  port: number;
  env: Record<string, string>;
}): Promise<SpawnedService> {
  let errors = '';
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stderr = () => errors;
  try {
    await waitReady(url, child, stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    stderr,
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const exited = once(child, 'exit');
      const timeout = delay(10_000).then(() => child.kill('SIGKILL'));
      await Promise.race([exited, timeout]);
    },
  };
}
