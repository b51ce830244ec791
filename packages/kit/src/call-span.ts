import type { Span, SpanContext } from '@opentelemetry/api';
import type { MeshContext } from './context.js';

// A gRPC face call's context is made for that call alone, so it can hold the call's span. A
// symbol property, not a WeakMap entry: a WeakMap entry per call costs the GC several times more.
const CALL_SPAN = Symbol('mesh.callSpan');
type WithCallSpan = MeshContext & { [CALL_SPAN]?: Span };

/** Remembers the span of a call through the gRPC face (other transports share contexts). */
export function rememberCallSpan(ctx: MeshContext, span: Span): void {
  if (ctx.transport === 'grpc') (ctx as WithCallSpan)[CALL_SPAN] = span;
}

/**
 * The trace and span ids of the procedure call made with a gRPC face context, for a log line
 * about the call after its span ended (its answer not fitting the proto message). Undefined
 * for other transports and for calls run without a span.
 */
export function callSpanContextOf(ctx: MeshContext): SpanContext | undefined {
  return (ctx as WithCallSpan)[CALL_SPAN]?.spanContext();
}
