import { withSpanAndStats } from '@mesh/telemetry';
import { type Context, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * A subscription's stream with a span per message delivered (`<service>.<procedure> message`),
 * children of the subscription's span. A span runs from the request for the next message
 * until it is produced, inside its own stats scope, so the queries and cache calls made for
 * one message land on that message's span. The stream's end (or failure) gets a last span.
 */
export function traceMessages(
  tracer: Tracer,
  name: string,
  parent: Context,
  stream: AsyncIterable<unknown>,
): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = stream[Symbol.asyncIterator]();
      let index = 0;
      const end = (span: Span, attributes: Record<string, number | boolean>) => {
        span.setAttributes(attributes);
        span.end();
      };
      return {
        async next() {
          const span = tracer.startSpan(name, { kind: SpanKind.PRODUCER }, parent);
          try {
            const { result, stats } = await withSpanAndStats(parent, span, () => iterator.next());
            end(span, {
              'mesh.message_index': index,
              'mesh.stream_done': result.done === true,
              'db.query_count': stats.dbQueries,
              'db.query_ms': stats.dbMs,
              'cache.hits': stats.cacheHits,
              'cache.misses': stats.cacheMisses,
            });
            if (!result.done) index += 1;
            return result;
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: 'subscription failed' });
            end(span, { 'mesh.message_index': index });
            throw error;
          }
        },
        async return(value?: unknown) {
          return (await iterator.return?.(value)) ?? { done: true, value };
        },
        async throw(error?: unknown) {
          if (iterator.throw) return iterator.throw(error);
          throw error;
        },
      };
    },
  };
}
