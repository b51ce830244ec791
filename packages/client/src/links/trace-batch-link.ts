import { httpBatchLink, type OperationLink, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { traceOf } from './trace-context-link.js';

const MAX_OPEN_BATCHERS = 256;

/**
 * `httpBatchLink`, but one batcher per caller trace context: calls made in the same tick
 * from the same span share a request, and calls from two traces never do, so each keeps
 * its own `traceparent`.
 */
export type TraceBatchLinkOptions<TRouter extends AnyRouter> = Parameters<typeof httpBatchLink<TRouter>>[0];

export function traceBatchLink<TRouter extends AnyRouter>(
  options: TraceBatchLinkOptions<TRouter>,
): TRPCLink<TRouter> {
  return (runtime) => {
    const batchers = new Map<string, OperationLink<TRouter>>();
    const batcherFor = (traceparent: string, tracestate: string | undefined): OperationLink<TRouter> => {
      const existing = batchers.get(traceparent);
      if (existing) return existing;
      const created = httpBatchLink<TRouter>({
        ...options,
        headers: async (opts) => {
          const base =
            typeof options.headers === 'function' ? await options.headers(opts) : (options.headers ?? {});
          const trace: Record<string, string> = traceparent ? { traceparent } : {};
          if (tracestate) trace.tracestate = tracestate;
          return { ...base, ...trace };
        },
      })(runtime);
      batchers.set(traceparent, created);
      if (batchers.size > MAX_OPEN_BATCHERS) {
        const oldest = batchers.keys().next().value;
        if (oldest !== undefined) batchers.delete(oldest);
      }
      return created;
    };
    return (ctx) => {
      const { traceparent = '', tracestate } = traceOf(ctx.op.context);
      return batcherFor(traceparent, tracestate)(ctx);
    };
  };
}
