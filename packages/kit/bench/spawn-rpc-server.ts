import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readBenchRunner, rpcServerEnv } from './env.js';
import type { RpcServerUrls } from './rpc-server.js';

export interface RpcServerProcess<TUrls = RpcServerUrls> {
  urls: TUrls;
  pid: number | undefined;
  /** The server process's own CPU time so far (`process.cpuUsage()` there), over its IPC channel. */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** Stops the process (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface SpawnRpcServerOptions {
  token: string;
  startTimeoutMs?: number;
  /** Added to its environment, e.g. BENCH_TRACING (see env.ts). */
  env?: Record<string, string>;
  /** The server script, beside this file; `rpc-server.ts` unless given. */
  script?: string;
}

/**
 * How a server process runs its TypeScript: as the image ships it (TypeScript's transpile, file
 * by file; `deploy/image/run-as-shipped.mjs`) unless `BENCH_RUNNER=tsx` asks for the dev-time
 * runner, whose esbuild output wraps each function made at run time in a naming helper.
 */
export function runnerArgs(): string[] {
  if (readBenchRunner() === 'tsx') return ['--import', 'tsx'];
  return ['--import', fileURLToPath(new URL('../../../deploy/image/run-as-shipped.mjs', import.meta.url))];
}

/** Starts a bench server script in its own process and resolves once it printed its URLs. */
export async function spawnRpcServer<TUrls = RpcServerUrls>({
  token,
  startTimeoutMs = 30_000,
  env = {},
  script = 'rpc-server.ts',
}: SpawnRpcServerOptions): Promise<RpcServerProcess<TUrls>> {
  const child = spawn(process.execPath, [...runnerArgs(), fileURLToPath(new URL(script, import.meta.url))], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...rpcServerEnv(token), ...env },
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  });
  try {
    const urls = (await readUrls(child, startTimeoutMs)) as TUrls;
    return { urls, pid: child.pid, cpuUsage: () => cpuUsageOf(child), stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function readUrls(child: ChildProcess, timeoutMs: number): Promise<RpcServerUrls> {
  if (!child.stdout) throw new Error('rpc-server: no stdout pipe');
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`rpc-server exited with code ${code} before it listened`);
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`rpc-server did not listen within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const firstLine = once(lines, 'line').then(([line]) => JSON.parse(String(line)) as RpcServerUrls);
  try {
    return await Promise.race([firstLine, exited, timedOut]);
  } finally {
    clearTimeout(timer);
    exited.catch(() => {});
    lines.close();
  }
}

async function cpuUsageOf(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  const answered = once(child, 'message');
  child.send('cpu-usage');
  const [usage] = await answered;
  return usage as NodeJS.CpuUsage;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
