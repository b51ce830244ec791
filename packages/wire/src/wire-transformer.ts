import type { CombinedDataTransformer } from '@trpc/server';
import { deserializeSuperjson, serializeSuperjson } from './superjson-fast.js';
import { isTraceCarrier, type TraceCarrier } from './trace-carrier.js';
import { TraceKept } from './trace-keep.js';
import { TracedInput } from './traced-input.js';

const carriers = new WeakMap<object, TraceCarrier>();
const inputSizes = new WeakMap<object, number>();

/**
 * The mesh's wire format, used by both ends: superjson, plus one thing. An input may travel
 * as `{ json, meta, trace }`: tRPC's websocket messages carry no headers, so the client
 * sends each call's trace context there (a `TracedInput` serialises so), and on arrival it
 * is remembered against the deserialised input, where the kit's tracing finds it. An output
 * may travel as `{ json, meta, keep: true }`: a websocket callee's keep word (`TraceKept`).
 */
export const meshTransformer: CombinedDataTransformer = {
  input: {
    serialize: (value: unknown) =>
      value instanceof TracedInput
        ? { ...serializeSuperjson(value.value), trace: value.trace }
        : serializeSuperjson(value),
    deserialize: (wire: unknown) => {
      const value = deserializeSuperjson(wire);
      const trace = (wire as { trace?: unknown } | null | undefined)?.trace;
      if (typeof value === 'object' && value !== null) {
        if (isTraceCarrier(trace)) carriers.set(value, trace);
        // Re-serialising costs about as much as superjson's own walk of the input; it gives
        // the span an input size whatever the transport (a batch or a websocket frame holds many).
        inputSizes.set(value, wireSize((wire as { json?: unknown } | null)?.json ?? wire));
      }
      return value;
    },
  },
  output: {
    serialize: (value: unknown) =>
      value instanceof TraceKept
        ? { ...serializeSuperjson(value.value), keep: true }
        : serializeSuperjson(value),
    deserialize: (wire: unknown) => {
      const value = deserializeSuperjson(wire);
      return (wire as { keep?: unknown } | null | undefined)?.keep === true ? new TraceKept(value) : value;
    },
  },
};

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
