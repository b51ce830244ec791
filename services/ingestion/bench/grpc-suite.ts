import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  compareCases,
  type LoadResult,
  loadCaller,
  rotate,
  type SuiteCase,
  serviceEnvSource,
} from '@mesh/bench';
import { createServiceClient } from '@mesh/client';
import type { IngestionRouter } from '../src/router.js';
import { readBenchEnv } from './env.js';
import type { GrpcBenchUrls } from './grpc-bench-server.js';
import { type Caller, grpcJsCaller, httpCaller } from './grpc-callers.js';
import { type H2loadResult, h2loadGrpc } from './h2load-grpc.js';

const SIDES = ['face', 'grpcJs', 'fast', 'websocket', 'bare'] as const;
type Side = (typeof SIDES)[number];

export interface RunOptions {
  progress?: (line: string) => void;
}

async function startServers(token: string): Promise<{ urls: GrpcBenchUrls; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./grpc-bench-server.ts', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: serviceEnvSource({ MESH_SERVICE_TOKEN: token }) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`grpc bench server exited with code ${code} before it listened`);
  });
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  return { urls: JSON.parse(line) as GrpcBenchUrls, child };
}

async function stopServers(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The grpc suite: one trivial unary call (ingestion's GetSyncSource: no query, no cache)
 * through the service's gRPC face and through a bare @grpc/grpc-js server answering the same
 * proto (the peer), and the same procedure over the tRPC fast path and the SDK's websocket,
 * against a bare Fastify route. One load loop (`loadCaller`, the same calls in flight) drives
 * every side from this process; the servers run in a child process.
 */
export async function run({ progress = () => {} }: RunOptions = {}): Promise<{ cases: SuiteCase[] }> {
  const env = readBenchEnv();
  const token = randomBytes(24).toString('hex');
  const { urls, child } = await startServers(token);
  const sdk = createServiceClient<IngestionRouter>({
    url: urls.http,
    token,
    retries: 0,
    transport: 'websocket',
    maxSockets: env.connections,
  });
  const callers: Record<Side, Caller> = {
    face: grpcJsCaller(urls.face, token),
    grpcJs: grpcJsCaller(urls.grpcJs, token),
    fast: httpCaller(`${urls.http}/trpc/getSyncSource`, env.connections, '"simulated"', {
      authorization: `Bearer ${token}`,
    }),
    websocket: {
      call: async () => (await sdk.client.getSyncSource.query()).kind === 'simulated',
      close: () => {},
    },
    bare: httpCaller(`${urls.bare}/sync-source`, env.connections, '"simulated"'),
  };
  const results = Object.fromEntries(SIDES.map((side) => [side, [] as LoadResult[]])) as Record<
    Side,
    LoadResult[]
  >;
  const capacity: Record<'face' | 'grpcJs', H2loadResult[]> = { face: [], grpcJs: [] };
  const method = '/mesh.ingestion.v1.IngestionService/GetSyncSource';
  try {
    for (let round = 1; round <= env.runs; round++) {
      for (const side of rotate(SIDES, round - 1)) {
        progress(`run ${round}/${env.runs}: ${side}`);
        results[side].push(
          await loadCaller({
            call: () => callers[side].call(),
            inFlight: env.connections,
            durationS: env.durationS,
            warmupS: env.warmupS,
          }),
        );
      }
      for (const side of rotate(['face', 'grpcJs'] as const, round - 1)) {
        progress(`run ${round}/${env.runs}: h2load, ${side}`);
        const measured = await h2loadGrpc({
          url: `${urls[side]}${method}`,
          token,
          streams: env.connections,
          durationS: env.durationS,
          warmupS: env.warmupS,
        });
        if (measured) capacity[side].push(measured);
      }
    }
  } finally {
    for (const caller of Object.values(callers)) caller.close();
    await sdk.close();
    await stopServers(child);
  }

  const load =
    `${env.connections} calls in flight, ${env.durationS} s each after a ${env.warmupS} s warm-up, sides ` +
    'interleaved (order rotating); one load loop in this process, servers in a child process; every answer checked';
  const faceNotes =
    `${load}; value: GetSyncSource through the ingestion service's gRPC face (Connect-ES on h2c: token, ` +
    'tRPC caller, zod, procedure span with counters, metrics); baseline: a bare @grpc/grpc-js server answering ' +
    'the same proto with a constant; both called by one @grpc/grpc-js client (one HTTP/2 connection)';
  const figure = (side: Side) => results[side].map((result) => Math.round(result.perSecond * 100) / 100);
  const headline: SuiteCase = {
    name: 'grpc face vs grpc-js',
    metric: 'calls/s',
    better: 'higher',
    baselineRuns: figure('grpcJs'),
    valueRuns: figure('face'),
    errors: [...results.face, ...results.grpcJs].reduce((total, result) => total + result.errors, 0),
    notes: faceNotes,
  };
  const versusBare = (subject: string, side: Side, how: string) =>
    compareCases({
      view: 'grpc suite',
      subject,
      rate: 'calls/s',
      baseline: results.bare,
      value: results[side],
      notes: `${load}; value: ${how}; baseline: a bare Fastify GET /sync-source through node:http (keep-alive)`,
    });
  const h2loadCase: SuiteCase[] =
    capacity.face.length === 0
      ? []
      : [
          {
            name: 'grpc face vs grpc-js, server capacity (h2load)',
            metric: 'calls/s',
            better: 'higher',
            baselineRuns: capacity.grpcJs.map((result) => result.perSecond),
            valueRuns: capacity.face.map((result) => result.perSecond),
            errors: [...capacity.face, ...capacity.grpcJs].reduce(
              (total, result) => total + result.failed,
              0,
            ),
            notes:
              `h2load (nghttp2), 2 connections, ${env.connections} streams in flight, ${env.durationS} s after a ` +
              `${env.warmupS} s warm-up, a prebuilt GetSyncSource frame with the token; the same two servers as ` +
              'the headline case; counts HTTP status (grpc-status is checked by the headline case)',
          },
        ];
  return {
    cases: [
      headline,
      ...h2loadCase,
      ...compareCases({
        view: 'grpc',
        subject: 'face vs grpc-js',
        rate: 'calls/s',
        baseline: results.grpcJs,
        value: results.face,
        notes: faceNotes,
      }).slice(1),
      ...versusBare('gRPC face', 'face', 'the gRPC face through @grpc/grpc-js'),
      ...versusBare('bare grpc-js', 'grpcJs', 'the bare @grpc/grpc-js server through @grpc/grpc-js'),
      ...versusBare('tRPC fast path', 'fast', 'GET /trpc/getSyncSource through node:http, the kit fast path'),
      ...versusBare(
        'SDK over websocket',
        'websocket',
        "@mesh/client createServiceClient({ transport: 'websocket' })",
      ),
    ],
  };
}
