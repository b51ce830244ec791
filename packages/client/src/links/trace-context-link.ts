import type { TraceCarrier } from '@mesh/wire';
import { context, propagation } from '@opentelemetry/api';
import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

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
