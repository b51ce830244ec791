import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { type CliEnv, readCliEnv } from '../env.js';
import { CliError } from '../errors.js';
import { repoRoot as defaultRepoRoot } from '../repo-root.js';
import { meshServices, type ServiceSpec } from '../services.js';
import { checkPorts } from './check-ports.js';
import { seedDemoData } from './demo-data.js';
import { type Migrate, migrateServices } from './migrate-services.js';
import { createOutput, type Output } from './output.js';
import { provideDatabase } from './provide-database.js';
import { provideRedis } from './provide-redis.js';
import { provideToken } from './provide-token.js';
import { serviceEnv, serviceUrl } from './service-env.js';
import { createShutdownStack } from './shutdown-stack.js';
import { startServices } from './start-services.js';
import { describeExit } from './wait-ready.js';

export interface UpOptions {
  /** The processes to start; the mesh's four services by default. */
  services?: readonly ServiceSpec[];
  /** Parsed settings; read from process.env by default. */
  env?: CliEnv;
  /** Children run here and entries resolve from here; found from this file by default. */
  repoRoot?: string;
  /** Where the embedded Postgres, Redis' folder and the token live; `<repoRoot>/.mesh` by default. */
  stateDir?: string;
  stdout?: Writable;
  stderr?: Writable;
  /** Coloured prefixes; by default when stdout is a TTY and NO_COLOR is not set. */
  color?: boolean;
  /** Aborting it during start-up stops what already started and throws ABORTED. */
  signal?: AbortSignal;
  /** @mesh/db's `migrate` by default. */
  migrate?: Migrate;
  /** For every service to answer /readyz; MESH_READY_TIMEOUT_MS (60 s) by default. */
  readyTimeoutMs?: number;
  /** How long services get to drain after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
}

export interface RunningMesh {
  /** What the summary printed: each service, then Postgres and Redis (no passwords). */
  urls: readonly { name: string; url: string }[];
  /** Resolves, describing it, when a service, Redis or Postgres ends by itself. */
  failed: Promise<string>;
  /** Stops the services (SIGTERM, bounded, then SIGKILL), then Redis, then Postgres. */
  stop(): Promise<void>;
}

/**
 * `mesh up`: checks the ports, provides Postgres and Redis, migrates every schema, starts the
 * services and waits until each is ready. On any failure it stops what it started and throws
 * a CliError; nothing is left running.
 */
export async function up(options: UpOptions = {}): Promise<RunningMesh> {
  const specs = options.services ?? meshServices;
  const env = options.env ?? readCliEnv({ portVars: specs.map((service) => service.portVar) });
  const root = options.repoRoot ?? defaultRepoRoot;
  const stateDir = options.stateDir ?? join(root, '.mesh');
  const stdout = options.stdout ?? process.stdout;
  const output = createOutput({
    stdout,
    stderr: options.stderr ?? process.stderr,
    color: options.color ?? (isTty(stdout) && !env.noColor),
    names: ['mesh', ...specs.map((service) => service.name), 'postgres', 'redis'],
  });
  const services = specs.map((service) => ({ ...service, port: env.ports[service.portVar] ?? service.port }));
  await checkPorts(services);
  await mkdir(stateDir, { recursive: true });

  const stack = createShutdownStack({
    onStop: (name) => output.info(`stopping ${name}`),
    onError: (name, error) => output.line('mesh', `stopping ${name} failed: ${String(error)}`, 'stderr'),
  });
  try {
    const database = await provideDatabase({ databaseUrl: env.databaseUrl, stateDir, output });
    if (database.stop) stack.push('postgres', database.stop);
    checkAborted(options.signal);
    const redis = await provideRedis({ redisUrl: env.redisUrl, path: env.path, stateDir, output });
    if (redis.stop) stack.push('redis', redis.stop);
    checkAborted(options.signal);
    const token = await provideToken(env.serviceToken, stateDir, output);
    await migrateServices({
      services,
      repoRoot: root,
      databaseUrl: database.url,
      migrate: options.migrate,
      output,
    });
    checkAborted(options.signal);

    const supervisor = await startServices({
      services,
      repoRoot: root,
      env: serviceEnv({
        inherited: env.inherited,
        services,
        databaseUrl: database.url,
        redisUrl: redis.url,
        serviceToken: token.value,
      }),
      output,
      stack,
      readyTimeoutMs: options.readyTimeoutMs ?? env.readyTimeoutMs,
      stopTimeoutMs: options.stopTimeoutMs,
      signal: options.signal,
    });

    await seedDemoData({ services, token: token.value, output });

    const urls = [
      ...services.map((service) => ({ name: service.name, url: serviceUrl(service) })),
      { name: 'postgres', url: database.summary },
      { name: 'redis', url: redis.summary },
      { name: 'token', url: token.summary },
    ];
    printSummary(output, urls);
    const failed = Promise.race([
      supervisor.exited.then(describeExit),
      database.exited?.then(() => 'postgres exited') ?? new Promise<never>(() => {}),
      redis.exited?.then(() => 'redis-server exited') ?? new Promise<never>(() => {}),
    ]);
    return { urls, failed, stop: stack.stopAll };
  } catch (error) {
    await stack.stopAll();
    throw error;
  }
}

function printSummary(output: Output, urls: readonly { name: string; url: string }[]): void {
  const width = Math.max(...urls.map(({ name }) => name.length));
  output.plain('');
  for (const { name, url } of urls) output.plain(`  ${name.padEnd(width)}  ${url}`);
  output.plain('');
  output.plain('mesh is up — Ctrl-C to stop');
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CliError('ABORTED', 'interrupted during start-up');
}

function isTty(stream: Writable): boolean {
  return 'isTTY' in stream && stream.isTTY === true;
}
