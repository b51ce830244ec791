// The server process of the grpc suite: every side it loads, away from the load loop's CPU.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { serviceEnvSource } from '@mesh/bench';
import { createTestDatabase } from '@mesh/db/testing';
import { grpcUrlOf } from '@mesh/grpc';
import { startTelemetry } from '@mesh/telemetry';
import Fastify from 'fastify';
import { readEnv } from '../src/env.js';
import { migrations } from '../src/migrations.js';
import { buildIngestionService } from '../src/server.js';

/** Printed on stdout as one JSON line once every server listens. */
export interface GrpcBenchUrls {
  /** The ingestion service: tRPC (fast path) at `http`, its gRPC face at `face`. */
  http: string;
  face: string;
  /** A bare @grpc/grpc-js server answering GetSyncSource from the same proto. */
  grpcJs: string;
  /** A bare Fastify app: `GET /sync-source`. */
  bare: string;
}

// Tracing as in a service without an exporter: each call gets its span, none is sent.
const telemetry = startTelemetry({ serviceName: 'bench', endpoint: undefined });
const database = await createTestDatabase({ migrations: [migrations] });
const service = await buildIngestionService(
  readEnv(
    serviceEnvSource({
      DATABASE_URL: database.url,
      INGESTION_SOURCE: 'simulated',
      LOG_LEVEL: 'warn',
      TRPC_FAST_PATH: 'true',
    }),
  ),
);
const http = await service.listen(0);

// The peer: the same contract served by grpc-js itself, doing the same work (no token, no span).
const definition = protoLoader.loadSync('mesh/ingestion/v1/ingestion.proto', {
  includeDirs: [fileURLToPath(new URL('../../../proto', import.meta.url))],
});
const ingestion = (
  grpc.loadPackageDefinition(definition) as unknown as {
    mesh: { ingestion: { v1: { IngestionService: grpc.ServiceClientConstructor } } };
  }
).mesh.ingestion.v1.IngestionService;
const peer = new grpc.Server();
peer.addService(ingestion.service, {
  getSyncSource: (_call: unknown, callback: grpc.sendUnaryData<{ kind: string }>) =>
    callback(null, { kind: 'SOURCE_KIND_SIMULATED' }),
});
const peerPort = await new Promise<number>((resolve, reject) =>
  peer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
    error ? reject(error) : resolve(port),
  ),
);

const bare = Fastify();
bare.get('/sync-source', async () => ({ kind: 'simulated' }));

const urls: GrpcBenchUrls = {
  http,
  face: grpcUrlOf(service),
  grpcJs: `http://127.0.0.1:${peerPort}`,
  bare: await bare.listen({ port: 0, host: '127.0.0.1' }),
};
process.stdout.write(`${JSON.stringify(urls)}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  peer.forceShutdown();
  await Promise.allSettled([service.close(), bare.close()]);
  await database.drop();
  await telemetry.shutdown();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
// The parent holds our stdin; when it dies without stopping us, the pipe's end does.
process.stdin.on('end', () => void stop()).resume();
