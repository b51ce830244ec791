import type { Writable } from 'node:stream';
import { createServiceClient } from '@mesh/sdk';
import { createClientTracer } from '@mesh/telemetry';
import { SpanStatusCode } from '@opentelemetry/api';
import type { AnyRouter } from '@trpc/server';
import { type CliEnv, readCliEnv } from '../env.js';
import { exitCodeOf, isCliError } from '../errors.js';
import { CALL_VALUE_HELP, decodeCallInput, encodeCallOutput } from './call-value.js';
import { closestNames } from './closest-names.js';
import { fetchProcedures, isProceduresError, type ProcedureEntry } from './fetch-procedures.js';
import { formatCallError } from './format-call-error.js';
import { listProcedures } from './list-procedures.js';
import { type MeshTarget, resolveMeshTarget, traceUrl } from './mesh-target.js';
import { type CallArgs, callUsage, parseCallArgs } from './parse-call-args.js';

export interface RunCallOptions {
  env?: CliEnv;
  stdout?: Writable;
  stderr?: Writable;
  /** Where `mesh up` keeps the token; `<repo>/.mesh/token` by default. */
  tokenFile?: string;
  /** Stops a subscription (Ctrl-C by default). */
  signal?: AbortSignal;
}

type Call = Extract<CallArgs, { mode: 'call' }>;
type Target = MeshTarget['services'][number];

/**
 * `mesh call`: a procedure of the running mesh by name, with JSON input, its result printed
 * and the trace's URL; `--list` prints every procedure. Exit 0; 1 when the call failed or a
 * service is not answering; 2 for a bad command line, bad JSON or an unknown procedure.
 */
export async function runCall(argv: readonly string[], options: RunCallOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const fail = (line: string, code: number) => {
    stderr.write(`mesh call: ${line}\n`);
    return code;
  };
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    (argv.length === 0 ? stderr : stdout).write(callUsage);
    return argv.length === 0 ? 2 : 0;
  }
  let args: CallArgs;
  try {
    args = parseCallArgs(argv);
  } catch (error) {
    if (!isCliError(error, 'BAD_ARGS')) throw error;
    return fail(`${error.message} (\`mesh call --help\`)`, exitCodeOf(error));
  }
  const target = await resolveMeshTarget(options.env ?? readCliEnv(), options.tokenFile);
  if (!target.token)
    return fail('no service token: set MESH_SERVICE_TOKEN, or start the mesh with `npm start`', 1);
  if (args.mode === 'list')
    return listProcedures({ target, token: target.token, only: args.service, stdout, stderr });

  const service = findService(target, args.service);
  if (!service) {
    const names = target.services.map((entry) => entry.name);
    return fail(`no service "${args.service}"; the services are ${names.join(', ')}`, 2);
  }
  let input: unknown;
  try {
    input = decodeCallInput(args.input);
  } catch (error) {
    return fail(
      `the input is not JSON as \`mesh call\` takes it: ${(error as Error).message} (${CALL_VALUE_HELP})`,
      2,
    );
  }
  let procedures: ProcedureEntry[];
  try {
    procedures = await fetchProcedures(service.url, target.token);
  } catch (error) {
    if (isProceduresError(error)) return fail(`${service.name} ${error.message}`, exitCodeOf(error));
    throw error;
  }
  const procedure = procedures.find((entry) => entry.path === args.procedure);
  if (!procedure) return fail(unknownProcedure(args, service, procedures), 2);
  return call({
    args,
    input,
    procedure,
    service,
    target,
    token: target.token,
    stdout,
    stderr,
    signal: options.signal,
  });
}

function findService(target: MeshTarget, name: string): Target | undefined {
  // `userCache`, as the SDK names it, works as well as `user-cache`.
  const kebab = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return target.services.find((entry) => entry.name === name || entry.name === kebab);
}

function unknownProcedure(args: Call, service: Target, procedures: ProcedureEntry[]): string {
  const near = closestNames(
    args.procedure,
    procedures.map((entry) => entry.path),
  ).map((path) => `${service.name}.${path}`);
  const hint =
    near.length > 0 ? `did you mean ${near.join(', ')}?` : `\`mesh call --list ${service.name}\` lists them`;
  return `${service.name} has no procedure "${args.procedure}"; ${hint}`;
}

interface CallContext {
  args: Call;
  input: unknown;
  procedure: ProcedureEntry;
  service: Target;
  target: MeshTarget;
  token: string;
  stdout: Writable;
  stderr: Writable;
  signal: AbortSignal | undefined;
}

async function call(context: CallContext): Promise<number> {
  const { args, procedure, service, target, stderr } = context;
  const sdk = createServiceClient<AnyRouter>({
    url: service.url,
    token: context.token,
    retries: 0,
    timeoutMs: args.timeoutMs,
    transport: 'http',
  });
  const tracing = createClientTracer({ serviceName: 'mesh-cli', endpoint: target.explorerUrl });
  try {
    return await tracing.tracer.startActiveSpan(
      `mesh call ${service.name}.${procedure.path}`,
      async (span) => {
        stderr.write(`trace: ${traceUrl(target.explorerUrl, span.spanContext().traceId)}\n`);
        try {
          const handle = procedureHandle(sdk.client, procedure.path);
          const code =
            procedure.kind === 'subscription'
              ? await subscribe(handle, context)
              : await answer(handle, procedure.kind, context);
          if (code !== 0) span.setStatus({ code: SpanStatusCode.ERROR });
          return code;
        } finally {
          span.end();
        }
      },
    );
  } finally {
    await sdk.close();
    await tracing.shutdown(1500);
  }
}

type Handle = {
  query(input: unknown): Promise<unknown>;
  mutate(input: unknown): Promise<unknown>;
  subscribe(
    input: unknown,
    handlers: { onData(data: unknown): void; onError(error: unknown): void; onComplete(): void },
  ): { unsubscribe(): void };
};

/** The typed client's proxy, walked by name: `a.b` is `client.a.b`. */
function procedureHandle(client: unknown, path: string): Handle {
  return path.split('.').reduce((node, key) => (node as Record<string, unknown>)[key], client) as Handle;
}

async function answer(handle: Handle, kind: 'query' | 'mutation', context: CallContext): Promise<number> {
  try {
    const result = await (kind === 'query' ? handle.query(context.input) : handle.mutate(context.input));
    context.stdout.write(`${encodeCallOutput(result)}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error, context);
  }
}

function reportFailure(error: unknown, { args, service, stderr }: CallContext): number {
  const [first, ...rest] = formatCallError(error, service);
  stderr.write(`mesh call: ${service.name}.${args.procedure} failed: ${first}\n`);
  for (const line of rest) stderr.write(`${line}\n`);
  return 1;
}

function subscribe(handle: Handle, context: CallContext): Promise<number> {
  const { args, stdout, stderr, signal } = context;
  return new Promise<number>((resolve) => {
    let received = 0;
    const stopSignals: NodeJS.Signals[] = signal ? [] : ['SIGINT', 'SIGTERM'];
    const finish = (code: number) => {
      signal?.removeEventListener('abort', stop);
      for (const name of stopSignals) process.off(name, stop);
      subscription.unsubscribe();
      resolve(code);
    };
    const stop = () => finish(0);
    const subscription = handle.subscribe(context.input, {
      onData(data) {
        received += 1;
        stdout.write(`${encodeCallOutput(data)}\n`);
        if (args.max !== undefined && received >= args.max) finish(0);
      },
      onError: (error) => finish(reportFailure(error, context)),
      onComplete: () => finish(0),
    });
    // Ctrl-C ends the subscription, not the process: the span still ends and is exported.
    for (const name of stopSignals) process.once(name, stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    stderr.write(
      `listening for events${args.max === undefined ? '' : ` (${args.max} at most)`}; Ctrl-C stops\n`,
    );
  });
}
