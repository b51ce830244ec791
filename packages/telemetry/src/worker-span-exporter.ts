import { Worker } from 'node:worker_threads';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { RequestBodyExporter } from './encoded-batch-span-processor.js';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './otlp-export-worker.js';

export interface WorkerSpanExporterOptions {
  /** The full traces URL (`.../v1/traces`). */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  /** Per request, retries included (the SDK's default, 10 s, when unset). */
  timeoutMillis?: number;
}

// Beside this file, in whichever form this file runs: `.ts` in the repo (tsx, vitest, the
// benches), `.js` in the image. From source, the worker is loaded by Node's own type stripping
// rather than by the loader this process was started with (tsx, or the benches' TypeScript
// transpile hook, which would load the TypeScript compiler into the worker: some 300 ms of CPU).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(
  FROM_SOURCE ? './otlp-export-worker.ts' : './otlp-export-worker.js',
  import.meta.url,
);
/** How long shutdown waits for the worker's last requests before stopping it. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * An OTLP/HTTP span exporter whose requests leave from a worker thread. Each batch is
 * serialised here, as the SDK's exporter does, and its bytes go to the worker, which posts them
 * with the SDK's own export delegate and answers with the result. As with the SDK's exporter, a
 * batch in flight holds the process open and an idle exporter does not. If the worker dies, the
 * batches it held fail (the batch processor says so through the API's error handler) and the
 * next batch starts another.
 */
export class WorkerSpanExporter implements SpanExporter, RequestBodyExporter {
  private readonly serializer;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (result: ExportResult) => void>();
  private readonly drained: Array<() => void> = [];
  private nextId = 0;
  private isShutDown = false;

  constructor(private readonly options: WorkerSpanExporterOptions) {
    this.serializer = options.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
    // Started now, with the process, so its start-up is not paid under the first batch's load.
    this.running();
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutDown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    const body = this.serializer.serializeRequest(spans);
    if (!body) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('nothing to send') });
      return;
    }
    // Copied, not moved: the serialiser's buffer is its to reuse, for all this exporter knows.
    this.post(body, spans.length, resultCallback, false);
  }

  /**
   * Posts a request body already serialised in this exporter's protocol, for `spans` spans. The
   * body's buffer moves to the worker: it must be the body's alone, and unused afterwards.
   */
  exportBody(body: Uint8Array, spans: number, resultCallback: (result: ExportResult) => void): void {
    this.post(body, spans, resultCallback, true);
  }

  /** Resolves once every batch handed over so far has been answered. */
  forceFlush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  async shutdown(): Promise<void> {
    if (this.isShutDown) return;
    this.isShutDown = true;
    await this.forceFlush();
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const message: ToExportWorker = { kind: 'shutdown' };
    worker.postMessage(message);
    const grace = setTimeout(() => void worker.terminate(), SHUTDOWN_GRACE_MS);
    await exited;
    clearTimeout(grace);
  }

  private post(
    body: Uint8Array,
    spans: number,
    resultCallback: (result: ExportResult) => void,
    move: boolean,
  ): void {
    if (this.isShutDown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    const id = this.nextId++;
    const worker = this.running();
    if (this.pending.size === 0) worker.ref();
    this.pending.set(id, resultCallback);
    const message: ToExportWorker = { kind: 'export', id, batch: { body, spans } };
    try {
      worker.postMessage(message, move ? [body.buffer as ArrayBuffer] : []);
    } catch (error) {
      // A body that cannot be posted (a buffer already moved, say) fails alone.
      this.settle(id, { code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const workerData: ExportWorkerData = {
      url: this.options.url,
      protocol: this.options.protocol,
      timeoutMillis: this.options.timeoutMillis,
    };
    const worker = new Worker(WORKER_URL, {
      workerData,
      name: 'otlp-export',
      ...(FROM_SOURCE ? { execArgv: [] } : {}),
    });
    worker.unref();
    worker.on('message', (message: FromExportWorker) => {
      this.settle(
        message.id,
        message.ok
          ? { code: ExportResultCode.SUCCESS }
          : { code: ExportResultCode.FAILED, error: new Error(message.error) },
      );
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the export worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The worker is gone: what it held fails, and the next batch starts another. */
  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const id of [...this.pending.keys()]) this.settle(id, { code: ExportResultCode.FAILED, error });
  }

  private settle(id: number, result: ExportResult): void {
    const callback = this.pending.get(id);
    if (!callback) return;
    this.pending.delete(id);
    if (this.pending.size === 0) {
      this.worker?.unref();
      for (const resolve of this.drained.splice(0)) resolve();
    }
    callback(result);
  }
}
