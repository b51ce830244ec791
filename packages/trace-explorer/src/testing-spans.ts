import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/**
 * Real SDK spans for the explorer's tests, made by a provider of their own (never the
 * global one): a `<service>.<procedure>` span with a checkpoint and counters, and a child.
 */
export function makeSpans({ service = 'analytics', error = false } = {}): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('test');
  const parent = tracer.startSpan('analytics.userSummary', {
    attributes: { 'rpc.system': 'trpc', 'db.query_count': 2, 'cache.hits': 1, 'mesh.batch_size': 1 },
  });
  parent.addEvent('loaded', { elapsed_ms: 1.5, rows: 3 });
  const child = tracer.startSpan('pg.query:SELECT', {}, trace.setSpan(ROOT_CONTEXT, parent));
  child.setAttributes({ 'db.system': 'postgresql', 'big.int': 1099511627776, ratio: 0.25, tags: ['a', 'b'] });
  child.end();
  if (error) parent.setStatus({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
  parent.end();
  return exporter.getFinishedSpans();
}
