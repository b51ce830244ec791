import { CliError } from '../errors.js';

export interface SyncArgs {
  /** Channel ids; all active channels when absent. */
  channels?: bigint[];
  limit?: number;
  concurrency?: number;
  /** The ingestion service; http://127.0.0.1:<INGESTION_PORT or the catalogue's port> by default. */
  url?: string;
}

export const syncUsage = `usage: mesh sync [--channels <id,id,...>] [--limit <n>] [--concurrency <n>] [--url <ingestion url>]

Syncs channel posts into the ingestion service with a progress bar per channel. The token is
MESH_SERVICE_TOKEN, or the one \`mesh up\` wrote to .mesh/token. Bounds are the service's
(limit 1-10,000, concurrency 1-16); it answers out-of-range values with the field named.
`;

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new CliError('BAD_ARGS', `${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

/** `mesh sync` flags (`--flag value` or `--flag=value`); unknown flags and bad values throw BAD_ARGS. */
export function parseSyncArgs(argv: readonly string[]): SyncArgs {
  const args: SyncArgs = {};
  for (let index = 0; index < argv.length; index++) {
    const raw = argv[index] ?? '';
    const [flag, inline] = raw.includes('=') ? raw.split(/=(.*)/s, 2) : [raw, undefined];
    const value = inline ?? argv[++index];
    if (value === undefined) throw new CliError('BAD_ARGS', `${flag} needs a value`);
    switch (flag) {
      case '--channels':
        if (!/^-?\d+(,-?\d+)*$/.test(value)) {
          throw new CliError('BAD_ARGS', `--channels takes channel ids separated by commas, not "${value}"`);
        }
        args.channels = value.split(',').map(BigInt);
        break;
      case '--limit':
        args.limit = integer('--limit', value);
        break;
      case '--concurrency':
        args.concurrency = integer('--concurrency', value);
        break;
      case '--url':
        args.url = value.replace(/\/$/, '');
        break;
      default:
        throw new CliError('BAD_ARGS', `unknown option "${flag}"`);
    }
  }
  return args;
}
