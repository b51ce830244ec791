import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { demoAfterUp } from '../demo/demo-after-up.js';
import { type CliEnv, readCliEnv } from '../env.js';
import { CliError } from '../errors.js';
import { repoRoot as defaultRepoRoot } from '../repo-root.js';
import { meshServices, portVarsOf, type ServiceSpec } from '../services.js';
import { checkPorts, portClaims } from './check-ports.js';
import { type Migrate, migrateServices } from './migrate-services.js';
import { createOutput, type Output } from './output.js';
import { provideDatabase } from './provide-database.js';
import { provideRedis } from './provide-redis.js';
import { provideToken } from './provide-token.js';
import type { RestartPolicyOptions } from './restart-policy.js';
import { grpcAddress, serviceEnv, serviceUrl } from './service-env.js';
import { createShutdownStack } from './shutdown-stack.js';
import { startServices } from './start-services.js';
import { within } from './within.js';

/** What a step run once every service is ready gets: where they are and how to call them. */
export interface AfterUpContext {
  /** With their ports as placed for this run. */
  services: readonly ServiceSpec[];
  /** The bearer token the services accept. */
  token: string;
  /** The mesh's database (every service's schema), for the demo data. */
  databaseUrl: string;
  output: Output;
  /** Aborted on Ctrl-C: long work should stop. */
  signal: AbortSignal;
}

/**
 * Runs once every service is ready, before the summary is printed (demo data, a traffic
 * generator). It may return a stop function: it runs first when the mesh stops. A throw is the
 * step's own problem: it should print one line and return, never fail `mesh up`.
 */
export type AfterUp = (context: AfterUpContext) => Promise<void | (() => Promise<void>)>;

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
  /** When a service, the explorer or Redis that dies is started again (see restart-policy.ts). */
  restart?: RestartPolicyOptions;
  /** Runs once the services are ready; the demo data and traffic by default (demo/demo-after-up.ts). */
  afterUp?: AfterUp;
}

/** One line of the summary: a name, its URL and, for a service with a gRPC face, its address. */
export interface SummaryLine {
  name: string;
  url: string;
  grpc?: string;
}

export interface RunningMesh {
  /** What the summary printed: each service (and its gRPC address), then Postgres and Redis (no passwords). */
  urls: readonly SummaryLine[];
  /**
   * Resolves, describing it, when Postgres ends by itself: nothing works without it. A service,
   * the explorer or Redis that dies is restarted instead, and given up on (loudly) if it keeps
   * crashing, while the rest keep running.
   */
  failed: Promise<string>;
  /** The pids of the processes running now: the services' and redis-server's. */
  pids(): number[];
  /** The pid a service (by name) or `redis-server` runs as now; it changes when one is restarted. */
  pidOf(name: string): number | undefined;
  /** Stops the services (SIGTERM, bounded, then SIGKILL), then Redis, then Postgres. */
  stop(): Promise<void>;
}

/**
 * `mesh up`: checks the ports, provides Postgres and Redis, migrates every schema, starts the
 * services and waits until each is ready. On any failure, or when `signal` aborts at any point
 * of it, it stops what it started and throws a CliError (ABORTED for the signal); nothing is
 * left running.
 */
export async function up(options: UpOptions = {}): Promise<RunningMesh> {
  const specs = options.services ?? meshServices;
  const env = options.env ?? readCliEnv({ portVars: portVarsOf(specs) });
  const root = options.repoRoot ?? defaultRepoRoot;
  const stateDir = options.stateDir ?? join(root, '.mesh');
  const stdout = options.stdout ?? process.stdout;
  const output = createOutput({
    stdout,
    stderr: options.stderr ?? process.stderr,
    color: options.color ?? (isTty(stdout) && !env.noColor),
    names: ['mesh', ...specs.map((service) => service.name), 'postgres', 'redis'],
  });
  const services = specs.map((service) => placed(service, env.ports));
  await checkPorts(portClaims(services));
  await mkdir(stateDir, { recursive: true });

  const stack = createShutdownStack({
    onStop: (name) => output.info(`stopping ${name}`),
    onError: (name, error) => output.line('mesh', `stopping ${name} failed: ${String(error)}`, 'stderr'),
  });
  const step = abortableSteps(options.signal);
  try {
    const database = await step(provideDatabase({ databaseUrl: env.databaseUrl, stateDir, output }), (late) =>
      late.stop?.(),
    );
    if (database.stop) stack.push('postgres', database.stop);
    const redis = await step(
      provideRedis({ redisUrl: env.redisUrl, path: env.path, stateDir, output, restart: options.restart }),
      (late) => late.stop?.(),
    );
    if (redis.stop) stack.push('redis', redis.stop);
    const token = await step(provideToken(env.serviceToken, stateDir, output));
    await step(
      migrateServices({
        services,
        repoRoot: root,
        databaseUrl: database.url,
        migrate: options.migrate,
        output,
      }),
    );

    const supervisor = await step(
      startServices({
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
        restart: options.restart,
      }),
    );

    const afterUp = options.afterUp ?? defaultAfterUp;
    const signal = options.signal ?? new AbortController().signal;
    const stopAfterUp = await step(
      afterUp({ services, token: token.value, databaseUrl: database.url, output, signal }),
      (late) => late?.(),
    );
    if (stopAfterUp) stack.push('after-up', stopAfterUp);

    const urls: SummaryLine[] = [
      ...services.map((service) => {
        const grpc = grpcAddress(service);
        return { name: service.name, url: serviceUrl(service), ...(grpc ? { grpc } : {}) };
      }),
      { name: 'postgres', url: database.summary },
      { name: 'redis', url: redis.summary },
      { name: 'token', url: token.summary },
    ];
    printSummary(output, urls);
    const failed = database.exited?.then(() => 'postgres exited') ?? new Promise<never>(() => {});
    return {
      urls,
      failed,
      pids: () => [...supervisor.pids, ...(redis.pid === undefined ? [] : [redis.pid])],
      pidOf: (name) => (name === 'redis-server' ? redis.pid : supervisor.pidOf(name)),
      stop: stack.stopAll,
    };
  } catch (error) {
    await stack.stopAll();
    throw error;
  }
}

/** `service` with its HTTP and gRPC ports as their variables moved them. */
function placed(service: ServiceSpec, ports: Readonly<Record<string, number>>): ServiceSpec {
  const grpc = service.grpc && { ...service.grpc, port: ports[service.grpc.portVar] ?? service.grpc.port };
  return { ...service, port: ports[service.portVar] ?? service.port, ...(grpc ? { grpc } : {}) };
}

const defaultAfterUp: AfterUp = demoAfterUp({ traffic: true });

/** How long a step interrupted by Ctrl-C gets to finish, so what it was starting is stopped, not orphaned. */
const interruptedStepGraceMs = 3000;

/**
 * `step(work)`: `work`'s value, or ABORTED as soon as `signal` aborts, even mid-step. Then the
 * step gets a moment to land, and `cleanup` stops what it started (a Postgres, a redis-server).
 * Whatever is still starting after that dies with `mesh`: its exit hooks and leash.ts.
 */
function abortableSteps(signal: AbortSignal | undefined) {
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal?.aborted) resolve('aborted');
    signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  return async <TValue>(
    work: Promise<TValue>,
    cleanup?: (late: TValue) => Promise<void> | undefined,
  ): Promise<TValue> => {
    const settled = work.then((value) => ({ value }));
    const outcome = await Promise.race([settled, aborted]);
    if (outcome !== 'aborted') return outcome.value;
    const late = await within(
      settled.catch(() => undefined),
      interruptedStepGraceMs,
    );
    if (late && cleanup) await cleanup(late.value);
    throw new CliError('ABORTED', 'interrupted during start-up');
  };
}

function printSummary(output: Output, urls: readonly SummaryLine[]): void {
  const width = Math.max(...urls.map(({ name }) => name.length));
  // The gRPC column lines up after the longest service URL, not after a database's.
  const urlWidth = Math.max(...urls.filter((line) => line.grpc).map(({ url }) => url.length), 0);
  output.plain('');
  for (const { name, url, grpc } of urls) {
    output.plain(`  ${name.padEnd(width)}  ${grpc ? `${url.padEnd(urlWidth)}  grpc ${grpc}` : url}`);
  }
  output.plain('');
  output.plain('mesh is up — Ctrl-C to stop');
}

function isTty(stream: Writable): boolean {
  return 'isTTY' in stream && stream.isTTY === true;
}
