import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { LeanSpan } from './lean-span.js';
import { callTracer } from './lean-tracer.js';
import { startTelemetry } from './start-telemetry.js';

// Another tracer provider registered before ours: the API keeps it, and so must the calls.
const first = new InMemorySpanExporter();
const firstProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: first })] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(firstProvider);
const ours = new InMemorySpanExporter();
const telemetry = startTelemetry({
  serviceName: 'second-provider',
  spanProcessors: [new SimpleSpanProcessor({ exporter: ours })],
});
afterAll(async () => {
  await telemetry.shutdown();
  await firstProvider.shutdown();
});

describe('the call tracer beside a provider registered first', () => {
  it("is the API's, so call spans go where the process's other spans go", () => {
    const span = callTracer().startSpan('call');
    expect(span).not.toBeInstanceOf(LeanSpan);
    span.end();
    expect(first.getFinishedSpans().map((finished) => finished.name)).toEqual(['call']);
    expect(ours.getFinishedSpans()).toHaveLength(0);
  });
});
