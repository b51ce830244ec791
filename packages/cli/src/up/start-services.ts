import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceSpec } from '../services.js';
import { formatLogLine } from './format-log-line.js';
import type { Output } from './output.js';
import { reportRestarts } from './report-restarts.js';
import type { RestartPolicyOptions } from './restart-policy.js';
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
  /** When a service that dies is started again; 5 crashes in 60 s and it is given up on. */
  restart?: RestartPolicyOptions;
}

/** Preloaded into each service: it stops itself when `mesh` is gone (see exit-with-parent.ts). */
const exitWithParent = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));

/**
 * Starts each service as `node --import tsx <entry>` in the repo root, its output prefixed
 * with its name, and resolves once every one answers 200 on /readyz. A service that crashes
 * during start-up fails it; one that dies later is restarted (see supervise.ts).
 */
export async function startServices({
  services,
  repoRoot,
  env,
  output,
  stack,
  readyTimeoutMs,
  stopTimeoutMs = 4000,
  signal,
  restart,
}: StartServicesOptions): Promise<Supervisor> {
  const superviseGroup = (group: readonly ServiceSpec[]) =>
    supervise({
      children: group.map((service) => ({
        name: service.name,
        command: process.execPath,
        args: ['--import', 'tsx', '--import', exitWithParent, resolve(repoRoot, service.entry)],
        cwd: repoRoot,
        env,
      })),
      // Each pino JSON line as one readable line (format-log-line.ts); other lines as they are.
      onLine: (name, line, stream) => {
        for (const text of formatLogLine(line)) output.line(name, text, stream);
      },
      restart,
      onEvent: reportRestarts(output, restart),
      stopTimeoutMs,
    });
  // The shutdown stack stops what was pushed last first: the `stopsLast` group goes on first.
  const last = superviseGroup(services.filter((service) => service.stopsLast));
  stack.push('trace sink', () => last.stop({ timeoutMs: stopTimeoutMs }));
  const rest = superviseGroup(services.filter((service) => !service.stopsLast));
  stack.push('services', () => rest.stop({ timeoutMs: stopTimeoutMs }));
  const supervisor: Supervisor = {
    exited: Promise.race([last.exited, rest.exited]),
    gaveUp: Promise.race([last.gaveUp, rest.gaveUp]),
    get pids() {
      return [...last.pids, ...rest.pids];
    },
    pidOf: (name) => last.pidOf(name) ?? rest.pidOf(name),
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
