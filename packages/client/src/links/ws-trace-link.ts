import { TracedInput } from '@mesh/wire';
import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { traceOf } from './trace-context-link.js';

/**
 * Puts each call's trace context (captured by `traceContextLink`) beside its input, so two
 * calls from two traces on one websocket keep their own trace ids.
 */
export function wsTraceLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const trace = traceOf(op.context);
      if (!trace.traceparent || op.type === 'subscription') return next(op);
      return next({ ...op, input: new TracedInput(op.input, trace) });
    };
}
