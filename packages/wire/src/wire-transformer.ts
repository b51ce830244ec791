import type { CombinedDataTransformer } from '@trpc/server';
import superjson from 'superjson';

/** W3C trace headers of one call, as the SDK puts them beside a call's input on a websocket. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const carriers = new WeakMap<object, TraceCarrier>();
const inputSizes = new WeakMap<object, number>();

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
      if (typeof value === 'object' && value !== null) {
        if (isCarrier(trace)) carriers.set(value, trace);
        // Re-serialising costs about as much as superjson's own walk of the input; it gives
        // the span an input size whatever the transport (a batch or a websocket frame holds many).
        inputSizes.set(value, wireSize((wire as { json?: unknown } | null)?.json ?? wire));
      }
      return value;
    },
  },
  output: superjson,
} satisfies CombinedDataTransformer;

function wireSize(json: unknown): number {
  return json === undefined ? 0 : Buffer.byteLength(JSON.stringify(json) ?? '');
}

/**
 * Bytes of an input's JSON as it arrived (superjson's `json` part), for the procedure span;
 * undefined for an input that never crossed the wire (a server-side caller's).
 */
export function inputSizeOf(input: unknown): number | undefined {
  if (typeof input === 'object' && input !== null) return inputSizes.get(input);
  if (input === undefined) return 0;
  return typeof input === 'bigint' ? undefined : wireSize(input);
}

/** The trace context a websocket call carried beside this (deserialised) input, if any. */
export function traceCarrierOf(input: unknown): TraceCarrier | undefined {
  return typeof input === 'object' && input !== null ? carriers.get(input) : undefined;
}
