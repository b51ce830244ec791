import { TRACE_KEEP_ATTRIBUTE, TRACE_KEEP_HEADER, type TraceCarrier, TraceKept } from '@mesh/wire';
import { type Context, context, propagation, TraceFlags, trace } from '@opentelemetry/api';
import type { OperationResultEnvelope, TRPCClientError, TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

const CALLER = Symbol('mesh.callerContext');

interface AnswerContext {
  response?: { headers?: { get(name: string): string | null } };
}

/** Whether the callee said it exported its part of the trace: a header over HTTP, the result over a websocket. */
function saidKeep(value: OperationResultEnvelope<unknown, TRPCClientError<AnyRouter>>): boolean {
  const result = value.result as { data?: unknown };
  if (result.data instanceof TraceKept) return true;
  const answer = value.context as AnswerContext | undefined;
  return answer?.response?.headers?.get(TRACE_KEEP_HEADER) === '1';
}

/** The result as the caller expects it, without the websocket's keep wrapper. */
function unwrapped<T>(value: OperationResultEnvelope<T, TRPCClientError<AnyRouter>>) {
  const result = value.result as { data?: unknown };
  if (!(result.data instanceof TraceKept)) return value;
  return { ...value, result: { ...value.result, data: result.data.value } } as typeof value;
}

/**
 * The keep rule's word, on the span the call was made from: the caller's process then
 * exports its held spans of the trace with the callee's. A failed call keeps them too (the
 * callee ended in error, so it kept its own).
 */
function keep(caller: Context): void {
  const span = trace.getSpan(caller);
  // A sampled span is exported anyway; an unsampled one is recorded only under the keep rule.
  const sampled = ((span?.spanContext().traceFlags ?? 0) & TraceFlags.SAMPLED) !== 0;
  if (span?.isRecording() && !sampled) span.setAttribute(TRACE_KEEP_ATTRIBUTE, true);
}

/**
 * Captures the caller's trace context into the operation's context at call time, before
 * any batching or socket hop can lose it; on the way back, hears the callee's keep word.
 */
export function traceContextLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const caller = context.active();
      const carrier: TraceCarrier = {};
      propagation.inject(caller, carrier);
      return observable((observer) =>
        next({ ...op, context: { ...op.context, trace: carrier, [CALLER]: caller } }).subscribe({
          next: (value) => {
            if (saidKeep(value)) keep(caller);
            observer.next(unwrapped(value));
          },
          error: (error) => {
            keep(caller);
            observer.error(error);
          },
          complete: () => observer.complete(),
        }),
      );
    };
}

export function traceOf(opContext: Record<string, unknown>): TraceCarrier {
  return (opContext.trace as TraceCarrier | undefined) ?? {};
}

/**
 * The caller's context itself, as captured at call time: a span made for the call in this
 * process (the websocket client span) hangs under it as a local child, so the keep rule
 * counts it in the caller's local trace, where a parent rebuilt from `traceparent` would be
 * remote and start a local trace of its own.
 */
export function callerContextOf(opContext: Record<string | symbol, unknown>): Context | undefined {
  return opContext[CALLER] as Context | undefined;
}
