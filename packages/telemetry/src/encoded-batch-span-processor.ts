import { context, diag, type Exception, TraceFlags } from '@opentelemetry/api';
import {
  type ExportResult,
  ExportResultCode,
  globalErrorHandler,
  type InstrumentationScope,
  suppressTracing,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { type ResourceSpansPart, writeSpan, writeTraceRequest } from './otlp-span-encoding.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** Where the processor's requests go: an OTLP/HTTP protobuf body at a time. */
export interface RequestBodyExporter {
  /** Sends one `ExportTraceServiceRequest` of `spans` spans; `done` once it is answered. */
  exportBody(body: Uint8Array, spans: number, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

export interface EncodedBatchSpanProcessorOptions {
  exporter: RequestBodyExporter;
  /** The batch span processor's settings (OTEL_BSP_*), with its meaning and its defaults. */
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  exportTimeoutMillis?: number;
}

/** Spans written, by resource and scope, until their batch is sent. */
interface Batch {
  spans: number;
  parts: Map<Resource, Map<InstrumentationScope, ProtobufWriter>>;
  /** Its place in the order batches are sealed, and so sent and answered (from 1). */
  seq: number;
}

/** A `forceFlush` waiting for the batches sealed up to its call, and their failures. */
interface FlushWaiting {
  upTo: number;
  failures: unknown[];
  done: () => void;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/** A part's first buffer: some 200 spans of a call's size before it grows. */
const PART_BYTES = 64 * 1024;

/**
 * The SDK's batch span processor, as far as anyone outside it can tell (the same settings,
 * batches, queue limit, timer, timeout, flush and shutdown, sampled spans only), but a span is
 * written as OTLP protobuf when it ends, into its batch's bytes, rather than held as an object
 * until its batch is serialised. A span waiting for its batch (a tenth of a second and more
 * under load) lived through the young generation's collections and was copied to the old one;
 * bytes in a buffer are copied by nobody. The request a batch makes is the bytes the SDK's
 * serializer makes of the same spans (`otlp-span-encoding.ts`).
 *
 * As in the SDK's processor, one batch is sent at a time; the others wait, up to `maxQueueSize`
 * spans in all, and later spans are dropped (the count said once the queue has room again).
 * A failed or timed-out batch is reported through the API's error handler, or, during
 * `forceFlush` and `shutdown`, by their rejection.
 */
export class EncodedBatchSpanProcessor implements SpanProcessor {
  private readonly exporter: RequestBodyExporter;
  private readonly scheduledDelayMillis: number;
  private readonly maxQueueSize: number;
  private readonly maxExportBatchSize: number;
  private readonly exportTimeoutMillis: number;
  private open: Batch = newBatch();
  private readonly sealed: Batch[] = [];
  /** Spans written and not sent yet (the open batch and the sealed ones). */
  private queued = 0;
  private dropped = 0;
  private sending = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly spare: ProtobufWriter[] = [];
  /** Batches sealed so far, and answered (or given up) so far: one at a time, so in order. */
  private sealedCount = 0;
  private settledCount = 0;
  private readonly flushes: FlushWaiting[] = [];
  private shutDown: Promise<void> | undefined;

  constructor(options: EncodedBatchSpanProcessorOptions) {
    this.exporter = options.exporter;
    this.scheduledDelayMillis = options.scheduledDelayMillis ?? 5_000;
    this.maxQueueSize = options.maxQueueSize ?? 2_048;
    this.exportTimeoutMillis = options.exportTimeoutMillis ?? 30_000;
    const batchSize = options.maxExportBatchSize ?? 512;
    if (batchSize > this.maxQueueSize) {
      diag.warn(
        'BatchSpanProcessor: maxExportBatchSize must be smaller or equal to maxQueueSize, setting maxExportBatchSize to match maxQueueSize',
      );
    }
    this.maxExportBatchSize = Math.min(batchSize, this.maxQueueSize);
  }

  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    if (this.shutDown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queued >= this.maxQueueSize) {
      if (this.dropped === 0) diag.debug('maxQueueSize reached, dropping spans');
      this.dropped++;
      return;
    }
    if (this.dropped > 0) {
      diag.warn(`Dropped ${this.dropped} spans because maxQueueSize reached`);
      this.dropped = 0;
    }
    if (!this.write(span)) return;
    this.open.spans++;
    this.queued++;
    if (this.open.spans >= this.maxExportBatchSize) {
      this.seal();
      this.pump();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.seal();
        this.pump();
      }, this.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  /** Sends every span ended so far (not those ending meanwhile); rejects with the first batch of them that failed. */
  forceFlush(): Promise<void> {
    return this.shutDown ?? this.flush();
  }

  shutdown(): Promise<void> {
    this.shutDown ??= this.flushAndStop();
    return this.shutDown;
  }

  /** Writes the span into the open batch: false, the batch as it was, if it could not be written. */
  private write(span: ReadableSpan): boolean {
    let scopes = this.open.parts.get(span.resource);
    if (!scopes) {
      scopes = new Map();
      this.open.parts.set(span.resource, scopes);
    }
    let writer = scopes.get(span.instrumentationScope);
    if (!writer) {
      writer = this.spare.pop() ?? new ProtobufWriter(PART_BYTES);
      scopes.set(span.instrumentationScope, writer);
    }
    const before = writer.pos;
    try {
      writeSpan(writer, span);
      return true;
    } catch (error) {
      writer.pos = before;
      // A part with no span left would go out as an empty scope: it goes back instead.
      if (before === 0) {
        scopes.delete(span.instrumentationScope);
        if (scopes.size === 0) this.open.parts.delete(span.resource);
        this.spare.push(writer);
      }
      globalErrorHandler(error as Exception);
      return false;
    }
  }

  /** The open batch, if it holds any span, waits to be sent; a new one opens. */
  private seal(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.open.spans === 0) return;
    this.open.seq = ++this.sealedCount;
    this.sealed.push(this.open);
    this.open = newBatch();
  }

  /** Sends the next sealed batch, unless one is being sent; the next follows when it is answered. */
  private pump(): void {
    if (this.sending) return;
    const batch = this.sealed.shift();
    if (!batch) return;
    this.sending = true;
    void this.send(batch)
      .then(
        (): Outcome => ({ ok: true }),
        (error: unknown): Outcome => ({ ok: false, error }),
      )
      .then((outcome) => {
        this.settled(batch.seq, outcome);
        this.sending = false;
        this.pump();
      });
  }

  /** Batch `seq` is answered: its failure goes to the flushes waiting for it, else to the error handler. */
  private settled(seq: number, outcome: Outcome): void {
    this.settledCount = seq;
    if (!outcome.ok) {
      const waiting = this.flushes.filter((flush) => flush.upTo >= seq);
      if (waiting.length === 0) globalErrorHandler(outcome.error as Exception);
      for (const flush of waiting) flush.failures.push(outcome.error);
    }
    for (let at = this.flushes.length - 1; at >= 0; at--) {
      const flush = this.flushes[at] as FlushWaiting;
      if (flush.upTo > seq) continue;
      this.flushes.splice(at, 1);
      flush.done();
    }
  }

  private async flush(): Promise<void> {
    this.seal();
    const upTo = this.sealedCount;
    if (this.settledCount >= upTo) return;
    const failures: unknown[] = [];
    const answered = new Promise<void>((done) => this.flushes.push({ upTo, failures, done }));
    this.pump();
    await answered;
    if (failures.length > 0) throw failures[0];
  }

  private async flushAndStop(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.exporter.shutdown();
    }
  }

  /** Sends a batch, given up on (and never sent late) once the export timeout has passed. */
  private async send(batch: Batch): Promise<void> {
    this.queued -= batch.spans;
    let timer: NodeJS.Timeout | undefined;
    let givenUp = false;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        givenUp = true;
        reject(new Error('Timeout'));
      }, this.exportTimeoutMillis);
    });
    try {
      const result = await Promise.race([this.export(batch, () => givenUp), timedOut]);
      if (result.code !== ExportResultCode.SUCCESS) {
        throw result.error ?? new Error('BatchSpanProcessor: span export failed');
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The batch's request, once its resources have all their attributes, to the exporter. */
  private async export(batch: Batch, givenUp: () => boolean): Promise<ExportResult> {
    const pending = [...batch.parts.keys()].filter((resource) => resource.asyncAttributesPending);
    if (pending.length > 0) await Promise.all(pending.map((resource) => resource.waitForAsyncAttributes?.()));
    if (givenUp()) return { code: ExportResultCode.FAILED };
    const body = this.request(batch);
    return new Promise<ExportResult>((resolve) =>
      context.with(suppressTracing(context.active()), () =>
        this.exporter.exportBody(body, batch.spans, resolve),
      ),
    );
  }

  /** The batch's request, in a buffer of its own; its parts' buffers go back to be written again. */
  private request(batch: Batch): Uint8Array {
    const parts: ResourceSpansPart[] = [];
    let size = 0;
    for (const [resource, scopes] of batch.parts) {
      const part = { resource, scopes: [] as { scope: InstrumentationScope; spans: Uint8Array }[] };
      for (const [scope, writer] of scopes) {
        part.scopes.push({ scope, spans: writer.written() });
        size += writer.pos;
      }
      parts.push(part);
    }
    const request = new ProtobufWriter(size + 4_096);
    writeTraceRequest(request, parts);
    for (const scopes of batch.parts.values()) {
      for (const writer of scopes.values()) {
        writer.reset();
        this.spare.push(writer);
      }
    }
    return request.written();
  }
}

const newBatch = (): Batch => ({ spans: 0, parts: new Map(), seq: 0 });
