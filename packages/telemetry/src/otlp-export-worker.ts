// The worker thread that posts a process's spans: each batch is serialised on the main thread
// (by `EncodedBatchSpanProcessor` as its spans end, or by `WorkerSpanExporter`) and its bytes
// handed here, where the SDK's own OTLP/HTTP export delegate (its agent, timeout, retries on
// 429/502/503/504, headers and compression from the environment) sends them. The point is the isolate: Node's HTTP client shares its stream, socket and parser
// code with the HTTP server, and requests of other shapes in the same isolate leave that code
// polymorphic for the server's own work (docs/decisions.md, "Spans posted from a worker thread").
//
// Loaded as its own entry point, under tsx, the image's transpiled files and Node's own type
// stripping (vitest) alike, so it imports only packages and writes only erasable TypeScript.

import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode } from '@opentelemetry/core';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import {
  type ISerializer,
  JsonTraceSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';

/** What the main thread starts the worker with. */
export interface ExportWorkerData {
  /** The full traces URL (`.../v1/traces`). */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  timeoutMillis: number | undefined;
}

/** A batch already serialised on the main thread, and how many spans it holds (for the SDK's metrics). */
export interface SerialisedBatch {
  body: Uint8Array;
  spans: number;
}

export type ToExportWorker = { kind: 'export'; id: number; batch: SerialisedBatch } | { kind: 'shutdown' };

export type FromExportWorker =
  | { kind: 'result'; id: number; ok: true }
  | { kind: 'result'; id: number; ok: false; error: string };

const port = parentPort;
if (!port) throw new Error('otlp-export-worker: run it as a worker thread');
const { url, protocol, timeoutMillis } = workerData as ExportWorkerData;
const responses = protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;

// The batch goes out as the main thread wrote it; only the receiver's answer is decoded here.
const asWritten: ISerializer<SerialisedBatch, unknown> = {
  serializeRequest: (batch) => batch.body,
  deserializeResponse: (data) => responses.deserializeResponse(data),
};

const delegate = createOtlpHttpExportDelegate(
  convertLegacyHttpOptions({ url, timeoutMillis }, 'TRACES', 'v1/traces', {
    'Content-Type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
  }),
  asWritten,
  'otlp_http_span_exporter',
  { name: 'span', countItems: (batch) => batch.spans },
  undefined,
);

port.on('message', (message: ToExportWorker) => {
  if (message.kind === 'shutdown') {
    void delegate.shutdown().finally(() => port.close());
    return;
  }
  const { id, batch } = message;
  delegate.export(batch, (result) => {
    const answer: FromExportWorker =
      result.code === ExportResultCode.SUCCESS
        ? { kind: 'result', id, ok: true }
        : { kind: 'result', id, ok: false, error: result.error?.message ?? 'export failed' };
    port.postMessage(answer);
  });
});
