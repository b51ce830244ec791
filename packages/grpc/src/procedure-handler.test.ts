import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { IngestionService } from '@mesh/contracts';
import { createService, procedure, readKitEnv, router } from '@mesh/kit';
import { createLogger, startTelemetry, type Telemetry } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcUrlOf, withGrpcFace } from './with-grpc-face.js';

const TOKEN = 'a-test-token-of-enough-length';
const env = readKitEnv({ MESH_SERVICE_TOKEN: TOKEN, LOG_LEVEL: 'silent' });
const TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const CALLER_SPAN_ID = '1122334455667788';
// A value no log line may repeat: the answer's fields can hold secrets.
const SECRET_COUNT = 4242.5;

/** Procedures named like ingestion's, answering a fraction where the contract has an int32. */
const unfitRouter = router({
  syncMessages: procedure.mutation(() => ({
    runId: 'r1',
    status: 'ok',
    totals: { channels: 1, synced: 1, skipped: 0, failed: 0, messagesSynced: SECRET_COUNT, messagesSaved: 1 },
    durationMs: 1.5,
    queryCount: 1,
  })),
  onSyncProgress: procedure.subscription(async function* () {
    yield { runId: 'r1', stage: 'fetched', channelId: 5n, fetched: 3 };
    yield { runId: 'r1', stage: 'saved', channelId: 5n, fetched: 3, written: SECRET_COUNT };
  }),
});

let telemetry: Telemetry;
beforeAll(() => {
  // A tracer provider, so the call's span has a trace id to log.
  telemetry = startTelemetry({ serviceName: 'grpc-unfit-answer', instrument: false });
});
afterAll(() => telemetry.shutdown());

async function startFace(fastPath: boolean) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    name: 'ingestion',
    level: 'error',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  const service = withGrpcFace(await createService({ name: 'ingestion', router: unfitRouter, env, logger }), {
    services: [IngestionService],
    port: 0,
    env,
    fastPath,
  });
  await service.listen(0);
  const client = createClient(
    IngestionService,
    createGrpcTransport({
      baseUrl: grpcUrlOf(service),
      interceptors: [
        (next) => (req) => {
          req.header.set('authorization', `Bearer ${TOKEN}`);
          req.header.set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`);
          return next(req);
        },
      ],
    }),
  );
  return { service, client, lines };
}

describe.each([
  ['the gRPC fast path', true],
  ["Connect's adapter", false],
])('an answer that does not fit its message, through %s', (_through, fastPath) => {
  it('is INTERNAL to the caller and logged once with the trace id and the field, not the value', async () => {
    const { service, client, lines } = await startFace(fastPath);
    try {
      const error = await client.syncMessages({}).then(
        () => undefined,
        (caught: unknown) => ConnectError.from(caught),
      );
      expect(error?.code).toBe(Code.Internal);
      expect(error?.rawMessage).toBe('Internal server error');

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        trace_id: TRACE_ID,
        rpc: 'mesh.ingestion.v1.IngestionService/SyncMessages',
        procedure: 'syncMessages',
        field: 'totals.messages_synced',
        protoType: 'int32',
      });
      expect(lines[0]?.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(lines[0]?.span_id).not.toBe(CALLER_SPAN_ID);
      expect(JSON.stringify(lines)).not.toContain(String(SECRET_COUNT));
    } finally {
      await service.close();
    }
  });

  it('ends a stream with INTERNAL after the messages that fit, logged once', async () => {
    const { service, client, lines } = await startFace(fastPath);
    try {
      const received: unknown[] = [];
      const error = await (async () => {
        for await (const message of client.onSyncProgress({})) received.push(message);
      })().then(
        () => undefined,
        (caught: unknown) => ConnectError.from(caught),
      );
      expect(received).toEqual([expect.objectContaining({ runId: 'r1', fetched: 3 })]);
      expect(error?.code).toBe(Code.Internal);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ trace_id: TRACE_ID, field: 'written', protoType: 'int32' });
      expect(JSON.stringify(lines)).not.toContain(String(SECRET_COUNT));
    } finally {
      await service.close();
    }
  });
});
