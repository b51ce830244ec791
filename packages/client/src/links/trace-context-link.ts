import { context, propagation } from '@opentelemetry/api';
import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/** The W3C trace headers of the caller's active context, captured when the call is made. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/**
 * Captures the caller's trace context into the operation's context at call time, before
 * any batching or socket hop can lose it.
 */
export function traceContextLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const carrier: TraceCarrier = {};
      propagation.inject(context.active(), carrier);
      return next({ ...op, context: { ...op.context, trace: carrier } });
    };
}

export function traceOf(opContext: Record<string, unknown>): TraceCarrier {
  return (opContext.trace as TraceCarrier | undefined) ?? {};
}
