import { resolve } from 'node:path';
import type { ServiceSpec } from '../services.js';
import type { Output } from './output.js';
import { serviceUrl } from './service-env.js';
import type { ShutdownStack } from './shutdown-stack.js';
import { type Supervisor, supervise } from './supervise.js';
import { waitReady } from './wait-ready.js';

export interface StartServicesOptions {
  /** With their ports as placed for this run. */
  services: readonly ServiceSpec[];
  repoRoot: string;
  env: Readonly<Record<string, string>>;
  output: Output;
  /** The supervisor goes on it before anything can fail, so a failed start still stops them. */
  stack: ShutdownStack;
  readyTimeoutMs: number;
  stopTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Starts each service as `node --import tsx <entry>` in the repo root, its output prefixed
 * with its name, and resolves once every one answers 200 on /readyz.
 */
export async function startServices({
  services,
  repoRoot,
  env,
  output,
  stack,
  readyTimeoutMs,
  stopTimeoutMs,
  signal,
}: StartServicesOptions): Promise<Supervisor> {
  const superviseGroup = (group: readonly ServiceSpec[]) =>
    supervise({
      children: group.map((service) => ({
        name: service.name,
        command: process.execPath,
        args: ['--import', 'tsx', resolve(repoRoot, service.entry)],
        cwd: repoRoot,
        env,
      })),
      onLine: output.line,
    });
  // The shutdown stack stops what was pushed last first: the `stopsLast` group goes on first.
  const last = superviseGroup(services.filter((service) => service.stopsLast));
  stack.push('trace sink', () => last.stop({ timeoutMs: stopTimeoutMs }));
  const rest = superviseGroup(services.filter((service) => !service.stopsLast));
  stack.push('services', () => rest.stop({ timeoutMs: stopTimeoutMs }));
  const supervisor: Supervisor = {
    exited: Promise.race([last.exited, rest.exited]),
    pids: [...last.pids, ...rest.pids],
    stop: async (options) => {
      await rest.stop(options);
      await last.stop(options);
    },
  };
  output.info(`waiting for ${services.map((service) => service.name).join(', ')} to answer /readyz`);
  await waitReady({
    targets: services.map((service) => ({ name: service.name, url: `${serviceUrl(service)}/readyz` })),
    timeoutMs: readyTimeoutMs,
    exited: supervisor.exited,
    signal,
  });
  return supervisor;
}
