import type { CombinedDataTransformer } from '@trpc/server';
import superjson from 'superjson';

/** W3C trace headers of one call, as the SDK puts them beside a call's input on a websocket. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const carriers = new WeakMap<object, TraceCarrier>();

function isCarrier(value: unknown): value is TraceCarrier {
  return (
    typeof value === 'object' && value !== null && typeof (value as TraceCarrier).traceparent === 'string'
  );
}

/**
 * superjson, plus one thing: an input may arrive as `{ json, meta, trace }`. tRPC's
 * websocket messages carry no headers, so the SDK sends each call's trace context there;
 * it is remembered against the deserialised input, where the kit's tracing finds it.
 */
export const meshTransformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (wire: unknown) => {
      const value = superjson.deserialize(wire as Parameters<typeof superjson.deserialize>[0]);
      const trace = (wire as { trace?: unknown } | null | undefined)?.trace;
      if (isCarrier(trace) && typeof value === 'object' && value !== null) carriers.set(value, trace);
      return value;
    },
  },
  output: superjson,
} satisfies CombinedDataTransformer;

/** The trace context a websocket call carried beside this (deserialised) input, if any. */
export function traceCarrierOf(input: unknown): TraceCarrier | undefined {
  return typeof input === 'object' && input !== null ? carriers.get(input) : undefined;
}
