import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface H2loadOptions {
  /** `http://host:port/<service>/<method>` */
  url: string;
  token: string;
  streams: number;
  durationS: number;
  warmupS: number;
}

export interface H2loadResult {
  perSecond: number;
  succeeded: number;
  failed: number;
}

/**
 * Server capacity for one unary gRPC call with nghttp2's h2load (C, so the load generator is
 * never the bottleneck): a prebuilt request frame (an empty message) posted on 2 connections.
 * It counts HTTP statuses; the grpc-status trailer is checked by the suite's own calls.
 * Undefined when h2load is not installed (Debian's nghttp2-client).
 */
export async function h2loadGrpc(options: H2loadOptions): Promise<H2loadResult | undefined> {
  const folder = await mkdtemp(join(tmpdir(), 'mesh-h2load-'));
  try {
    const body = join(folder, 'request.grpc');
    await writeFile(body, Buffer.from([0, 0, 0, 0, 0]));
    const connections = 2;
    const { stdout } = await run(
      'h2load',
      [
        '-c',
        String(connections),
        '-m',
        String(Math.max(1, Math.round(options.streams / connections))),
        '-D',
        String(options.durationS),
        '--warm-up-time',
        String(options.warmupS),
        '-d',
        body,
        '-H',
        'content-type: application/grpc',
        '-H',
        'te: trailers',
        '-H',
        `authorization: Bearer ${options.token}`,
        options.url,
      ],
      { timeout: (options.durationS + options.warmupS + 30) * 1000 },
    );
    const rate = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(stdout);
    const counts = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed/.exec(stdout);
    if (!rate || !counts) throw new Error(`h2load printed no figures:\n${stdout}`);
    return { perSecond: Number(rate[1]), succeeded: Number(counts[1]), failed: Number(counts[2]) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
