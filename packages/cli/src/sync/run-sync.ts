import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { catalogue } from '@mesh/catalogue';
import type { IngestionRouter } from '@mesh/ingestion/router';
import { createServiceClient } from '@mesh/sdk';
import { type CliEnv, readCliEnv } from '../env.js';
import { exitCodeOf, isCliError } from '../errors.js';
import { repoRoot } from '../repo-root.js';
import { parseSyncArgs, type SyncArgs, syncUsage } from './parse-sync-args.js';
import { type ProgressEvent, SyncBoard } from './sync-board.js';

export interface RunSyncOptions {
  env?: CliEnv;
  stdout?: Writable;
  stderr?: Writable;
  /** Redraw bars in place; by default when stdout is a terminal. */
  tty?: boolean;
  /** Where `mesh up` keeps the token; `<repo>/.mesh/token` by default. */
  tokenFile?: string;
}

/** How long the progress websocket gets to open before the sync starts without bars. */
const SUBSCRIBE_WAIT_MS = 5000;
/** A sync of many channels with a slow source takes minutes; the SDK's 10 s default would cut it. */
const SYNC_TIMEOUT_MS = 60 * 60 * 1000;

async function serviceToken(env: CliEnv, tokenFile: string): Promise<string | undefined> {
  if (env.serviceToken) return env.serviceToken;
  const text = await readFile(tokenFile, 'utf8').catch(() => '');
  return text.trim() || undefined;
}

function createPainter(stdout: Writable, tty: boolean, board: SyncBoard) {
  let drawn = 0;
  return (event: ProgressEvent) => {
    const line = board.apply(event);
    if (!tty) {
      if (line) stdout.write(`${line}\n`);
      return;
    }
    const lines = board.lines();
    // Back to the first bar, clear below, draw again.
    stdout.write(`${drawn > 0 ? `\u001b[${drawn}F\u001b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
}

/**
 * `mesh sync`: subscribes to the run's progress, starts it (`syncMessages` with a run id chosen
 * here), draws a bar per channel, then prints the totals. Exit code 0; 1 when a channel failed
 * or the service refused; 2 for bad arguments.
 */
export async function runSync(argv: readonly string[], options: RunSyncOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(syncUsage);
    return 0;
  }
  let args: SyncArgs;
  try {
    args = parseSyncArgs(argv);
  } catch (error) {
    if (!isCliError(error, 'BAD_ARGS')) throw error;
    stderr.write(`mesh sync: ${error.message}\n${syncUsage}`);
    return exitCodeOf(error);
  }
  const env = options.env ?? readCliEnv();
  const { portVar, httpPort } = catalogue.ingestion;
  const url = args.url ?? `http://127.0.0.1:${env.ports[portVar] ?? httpPort}`;
  const token = await serviceToken(env, options.tokenFile ?? join(repoRoot, '.mesh', 'token'));
  if (!token) {
    stderr.write('mesh sync: no service token: set MESH_SERVICE_TOKEN, or start the mesh with `mesh up`\n');
    return 1;
  }
  const tty = options.tty ?? ('isTTY' in stdout && stdout.isTTY === true);
  const sdk = createServiceClient<IngestionRouter>({ url, token, retries: 0, timeoutMs: SYNC_TIMEOUT_MS });
  const board = new SyncBoard();
  const paint = createPainter(stdout, tty, board);
  const runId = randomUUID();
  let subscription: { unsubscribe(): void } | undefined;
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      subscription = sdk.client.onSyncProgress.subscribe(
        { runId },
        { onStarted: done, onData: (event) => paint(event), onError: done },
      );
    });
    const result = await sdk.client.syncMessages.mutate({
      runId,
      channels: args.channels,
      limit: args.limit,
      concurrency: args.concurrency,
      triggeredBy: 'cli',
    });
    const { totals } = result;
    stdout.write(
      `${totals.synced} synced, ${totals.skipped} skipped, ${totals.failed} failed: ` +
        `${totals.messagesSynced} messages fetched, ${totals.messagesSaved} new, ` +
        `in ${Math.round(result.durationMs)} ms and ${result.queryCount} queries (run ${result.runId})\n`,
    );
    return totals.failed > 0 ? 1 : 0;
  } catch (error) {
    stderr.write(`mesh sync: ${error instanceof Error ? error.message : String(error)} (${url})\n`);
    return 1;
  } finally {
    subscription?.unsubscribe();
    await sdk.close();
  }
}
