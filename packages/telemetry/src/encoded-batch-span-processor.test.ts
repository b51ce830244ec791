import { setTimeout as sleep } from 'node:timers/promises';
import { buildTraceExplorer } from '@mesh/trace-explorer';
import { type DiagLogger, DiagLogLevel, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, setGlobalErrorHandler } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  createAlwaysRecordSampler,
  type ReadableSpan,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EncodedBatchSpanProcessor,
  type EncodedBatchSpanProcessorOptions,
  type RequestBodyExporter,
} from './encoded-batch-span-processor.js';
import { WorkerSpanExporter } from './worker-span-exporter.js';

/** A body exporter standing for the worker: it keeps what it is sent and answers as told. */
class RecordingExporter implements RequestBodyExporter {
  readonly sent: Array<{ body: Buffer; spans: number; answer: (result: ExportResult) => void }> = [];
  answer: 'success' | 'failure' | 'never' = 'success';
  /** How long a request takes to be answered. */
  answerAfterMs = 0;
  isShutDown = false;

  exportBody(body: Uint8Array, spans: number, done: (result: ExportResult) => void): void {
    // Moved, as the worker exporter moves it: any later use of the body by the processor fails.
    const moved = structuredClone(body, { transfer: [body.buffer as ArrayBuffer] });
    this.sent.push({ body: Buffer.from(moved), spans, answer: done });
    if (this.answer === 'success')
      setTimeout(() => done({ code: ExportResultCode.SUCCESS }), this.answerAfterMs);
    if (this.answer === 'failure') {
      setImmediate(() => done({ code: ExportResultCode.FAILED, error: new Error('receiver said 400') }));
    }
  }

  async shutdown(): Promise<void> {
    this.isShutDown = true;
  }
}

const resource = resourceFromAttributes({ 'service.name': 'batch-test' });

/** A tracer whose ended spans go to `processor`, and to a list, in the order they ended. */
function tracerInto(processor: SpanProcessor, options: { sampled?: boolean; resource?: Resource } = {}) {
  const ended: ReadableSpan[] = [];
  const provider = new TracerProvider({
    resource: options.resource ?? resource,
    sampler:
      options.sampled === false ? createAlwaysRecordSampler(new AlwaysOffSampler()) : new AlwaysOnSampler(),
    spanProcessors: [
      processor,
      {
        onStart() {},
        onEnd: (span) => ended.push(span),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const tracer = provider.getTracer('batch-test');
  const end = (count: number, prefix = 'call') => {
    for (let n = 0; n < count; n++)
      tracer.startSpan(`${prefix} ${n}`, { attributes: { n } }, ROOT_CONTEXT).end();
  };
  return { end, ended };
}

const bytesOf = (spans: ReadableSpan[]) => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? []);

/** Captures the API's diagnostics at `warn` and above, for one test. */
function warnings(): string[] {
  const lines: string[] = [];
  const logger: DiagLogger = {
    error: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return lines;
}

const errorsHandled: unknown[] = [];
setGlobalErrorHandler((error) => errorsHandled.push(error));
afterEach(() => {
  diag.disable();
  errorsHandled.length = 0;
});

function processorWith(options: Partial<EncodedBatchSpanProcessorOptions> = {}) {
  const exporter = new RecordingExporter();
  const processor = new EncodedBatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000, ...options });
  return { exporter, processor };
}

describe('EncodedBatchSpanProcessor', () => {
  it('sends a full batch at once, as the bytes the SDK serializer makes of those spans', async () => {
    const { exporter, processor } = processorWith({ maxExportBatchSize: 4 });
    const { end, ended } = tracerInto(processor);
    end(10);
    await processor.forceFlush();
    expect(exporter.sent.map((request) => request.spans)).toEqual([4, 4, 2]);
    expect(
      exporter.sent.map((request) => request.body.equals(bytesOf(ended.splice(0, request.spans)))),
    ).toEqual([true, true, true]);
  });

  it('sends what it holds once the scheduled delay has passed, and nothing before', async () => {
    const { exporter, processor } = processorWith({ scheduledDelayMillis: 50 });
    const { end, ended } = tracerInto(processor);
    end(3);
    await sleep(10);
    expect(exporter.sent).toHaveLength(0);
    await sleep(120);
    expect(exporter.sent.map((request) => request.spans)).toEqual([3]);
    expect(exporter.sent[0]?.body.equals(bytesOf(ended))).toBe(true);
  });

  it('sends no span the sampler dropped, even one recorded', async () => {
    const { exporter, processor } = processorWith();
    tracerInto(processor, { sampled: false }).end(5);
    await processor.forceFlush();
    expect(exporter.sent).toHaveLength(0);
  });

  it('sends one batch at a time, holds up to the queue limit, and says how many it dropped', async () => {
    const lines = warnings();
    const { exporter, processor } = processorWith({ maxExportBatchSize: 2, maxQueueSize: 4 });
    exporter.answer = 'never';
    const { end, ended } = tracerInto(processor);
    end(9);
    // One batch in flight; four spans (two batches) wait; three are dropped.
    expect(exporter.sent.map((request) => request.spans)).toEqual([2]);
    exporter.answer = 'success';
    exporter.sent[0]?.answer({ code: ExportResultCode.SUCCESS });
    await processor.forceFlush();
    expect(exporter.sent.map((request) => request.spans)).toEqual([2, 2, 2]);
    expect(exporter.sent[2]?.body.equals(bytesOf(ended.slice(4, 6)))).toBe(true);
    end(1, 'later');
    expect(lines).toContain('Dropped 3 spans because maxQueueSize reached');
  });

  it('rejects a flush whose batch failed, and reports a failure outside a flush to the error handler', async () => {
    const { exporter, processor } = processorWith({ maxExportBatchSize: 2 });
    exporter.answer = 'failure';
    const { end } = tracerInto(processor);
    end(1);
    await expect(processor.forceFlush()).rejects.toThrow('receiver said 400');
    end(2);
    await sleep(20);
    expect(errorsHandled).toHaveLength(1);
    expect(String(errorsHandled[0])).toContain('receiver said 400');
  });

  it('gives up on a batch not answered in time and goes on with the next', async () => {
    const { exporter, processor } = processorWith({ maxExportBatchSize: 1, exportTimeoutMillis: 30 });
    exporter.answer = 'never';
    const { end } = tracerInto(processor);
    end(2);
    await expect(processor.forceFlush()).rejects.toThrow('Timeout');
    expect(exporter.sent.map((request) => request.spans)).toEqual([1, 1]);
  });

  it('waits for a resource still detecting its attributes, and sends them', async () => {
    let settle: (value: string) => void = () => {};
    const detected = resourceFromAttributes({
      'service.name': 'batch-test',
      'host.id': new Promise<string>((resolve) => {
        settle = resolve;
      }),
    });
    const { exporter, processor } = processorWith();
    const { end, ended } = tracerInto(processor, { resource: detected });
    end(2);
    const flushed = processor.forceFlush();
    await sleep(20);
    expect(exporter.sent).toHaveLength(0);
    settle('host-1');
    await flushed;
    expect(exporter.sent[0]?.body.includes(Buffer.from('host-1'))).toBe(true);
    expect(exporter.sent[0]?.body.equals(bytesOf(ended))).toBe(true);
  });

  it('flushes the spans ended before the call under steady load, without waiting for later ones', async () => {
    const { exporter, processor } = processorWith({ maxExportBatchSize: 5 });
    // Each request answered in 5 ms, a batch filled every millisecond: never a moment with none waiting.
    exporter.answerAfterMs = 5;
    const { end } = tracerInto(processor);
    end(12, 'before');
    const load = setInterval(() => end(5, 'during'), 1);
    try {
      await processor.forceFlush();
      const sentBefore = exporter.sent.reduce((sum, request) => sum + request.spans, 0);
      expect(sentBefore).toBeGreaterThanOrEqual(12);
      expect(exporter.sent.slice(0, 3).map((request) => request.spans)).toEqual([5, 5, 2]);
    } finally {
      clearInterval(load);
    }
  });

  it('gives up on a batch whose resource never finishes detecting, and sends the next', async () => {
    const { exporter, processor } = processorWith({ maxExportBatchSize: 1, exportTimeoutMillis: 40 });
    const stuck = resourceFromAttributes({ 'host.id': new Promise<string>(() => {}) });
    tracerInto(processor, { resource: stuck }).end(1, 'stuck');
    await expect(processor.forceFlush()).rejects.toThrow('Timeout');
    const { end, ended } = tracerInto(processor);
    end(1, 'next');
    await processor.forceFlush();
    expect(exporter.sent).toHaveLength(1);
    expect(exporter.sent[0]?.body.equals(bytesOf(ended))).toBe(true);
  });

  it('drops a span it cannot write, alone, and tells the error handler', async () => {
    const { exporter, processor } = processorWith();
    const { end, ended } = tracerInto(processor);
    const broken = tracerInto({
      onStart() {},
      onEnd() {},
      forceFlush: async () => {},
      shutdown: async () => {},
    });
    broken.end(1, 'broken');
    const span = broken.ended[0] as ReadableSpan;
    Object.defineProperty(span, 'attributes', {
      get: () => {
        throw new Error('attributes unreadable');
      },
    });
    processor.onEnd(span);
    end(2, 'fine');
    await processor.forceFlush();
    expect(String(errorsHandled[0])).toContain('attributes unreadable');
    expect(exporter.sent.map((request) => request.spans)).toEqual([2]);
    expect(exporter.sent[0]?.body.equals(bytesOf(ended))).toBe(true);
  });

  it('sends what it holds at shutdown, shuts its exporter down, and takes no span after', async () => {
    const { exporter, processor } = processorWith();
    const { end } = tracerInto(processor);
    end(3);
    await processor.shutdown();
    expect(exporter.sent.map((request) => request.spans)).toEqual([3]);
    expect(exporter.isShutDown).toBe(true);
    end(2, 'after');
    await processor.forceFlush();
    expect(exporter.sent).toHaveLength(1);
  });

  it('delivers its batches through the export worker to the trace explorer', async () => {
    const explorer = await buildTraceExplorer();
    try {
      const base = await explorer.listen(0, '127.0.0.1');
      const processor = new EncodedBatchSpanProcessor({
        exporter: new WorkerSpanExporter({ url: `${base}/v1/traces`, protocol: 'http/protobuf' }),
        maxExportBatchSize: 3,
      });
      const { end, ended } = tracerInto(processor);
      end(7, 'delivered');
      await processor.shutdown();
      expect(explorer.store.stats().received).toBe(7);
      const traceId = ended[6]?.spanContext().traceId ?? '';
      const [stored] = explorer.store.get(traceId) ?? [];
      expect(stored?.name).toBe('delivered 6');
      expect(stored?.attributes.n).toBe(6);
    } finally {
      await explorer.close();
    }
  });
});
