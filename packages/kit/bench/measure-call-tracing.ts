import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CallTracingRounds } from './call-tracing-cpu.js';
import { rpcServerEnv } from './env.js';
import { runnerArgs } from './spawn-rpc-server.js';

const run = promisify(execFile);

/**
 * Runs `call-tracing-cpu.ts` in a process of its own with `env` added (BENCH_TRACING, the
 * sampling, the endpoint) and gives the CPU microseconds per call of each of its rounds.
 */
export async function measureCallTracing(env: Record<string, string>): Promise<number[]> {
  const script = fileURLToPath(new URL('call-tracing-cpu.ts', import.meta.url));
  const { stdout } = await run(process.execPath, [...runnerArgs(), script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...rpcServerEnv('in-process'), ...env },
    timeout: 120_000,
  });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return (JSON.parse(lastLine) as CallTracingRounds).cpuMicrosPerCall;
}
