import { CliError } from '../errors.js';
import { CALL_VALUE_HELP } from './call-value.js';

export type CallArgs =
  | { mode: 'list'; service?: string }
  | { mode: 'call'; service: string; procedure: string; input?: string; max?: number; timeoutMs: number };

export const callUsage = `usage: mesh call <service>.<procedure> ['<json input>'] [--max <n>] [--timeout <ms>]
       mesh call --list [<service>]

Calls a procedure of the running mesh by name and prints its result (subscriptions: each event
as it arrives, until Ctrl-C or --max events) and the trace's page in the explorer.
Input is JSON; ${CALL_VALUE_HELP}.
superjson's {"json": ..., "meta": ...} form is accepted too.

  npm run mesh -- call analytics.dashboardMetrics
  npm run mesh -- call user-cache.getUsers '{"ids":["700000001n","700000002n"]}'
  npm run mesh -- call analytics.revenue '{"from":{"$date":"2026-01-01"},"to":{"$date":"2026-02-01"}}'
  npm run mesh -- call analytics.onDashboard --max 2
  npm run mesh -- call --list

The token is MESH_SERVICE_TOKEN, or the one \`mesh up\` wrote to .mesh/token; the services are
where \`mesh up\` puts them (their *_PORT variables move them).
`;

function whole(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
    throw new CliError('BAD_ARGS', `${flag} takes a whole number above 0, not "${value ?? ''}"`);
  }
  return Number(value);
}

/** `mesh call` arguments; anything it does not understand throws BAD_ARGS. */
export function parseCallArgs(argv: readonly string[]): CallArgs {
  const positional: string[] = [];
  let max: number | undefined;
  let timeoutMs = 30_000;
  let list = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--list') list = true;
    else if (arg === '--max') max = whole('--max', argv[++index]);
    else if (arg.startsWith('--max=')) max = whole('--max', arg.slice(6));
    else if (arg === '--timeout') timeoutMs = whole('--timeout', argv[++index]);
    else if (arg.startsWith('--timeout=')) timeoutMs = whole('--timeout', arg.slice(10));
    else if (arg.startsWith('--') && arg.length > 2)
      throw new CliError('BAD_ARGS', `unknown option "${arg}"`);
    else positional.push(arg);
  }
  if (list) {
    if (positional.length > 1) throw new CliError('BAD_ARGS', '--list takes at most a service name');
    return positional[0] === undefined ? { mode: 'list' } : { mode: 'list', service: positional[0] };
  }
  const [name, input, ...rest] = positional;
  if (name === undefined) throw new CliError('BAD_ARGS', 'name a procedure: <service>.<procedure>');
  if (rest.length > 0) throw new CliError('BAD_ARGS', 'give the input as one JSON argument (quote it)');
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    throw new CliError(
      'BAD_ARGS',
      `"${name}" is not <service>.<procedure> (e.g. analytics.dashboardMetrics)`,
    );
  }
  return {
    mode: 'call',
    service: name.slice(0, dot),
    procedure: name.slice(dot + 1),
    ...(input === undefined ? {} : { input }),
    ...(max === undefined ? {} : { max }),
    timeoutMs,
  };
}
