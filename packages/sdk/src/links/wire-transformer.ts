import superjson from 'superjson';
import type { TraceCarrier } from './trace-context-link.js';

/** An input on its way out with the trace context of the call that made it. */
export class TracedInput {
  constructor(
    readonly value: unknown,
    readonly trace: TraceCarrier,
  ) {}
}

/**
 * superjson, writing a traced input as `{ json, meta, trace }`: the kit reads `trace` as
 * the call's own trace context (tRPC's websocket messages have no headers to carry it).
 */
export const meshClientTransformer = {
  input: {
    serialize: (value: unknown) =>
      value instanceof TracedInput
        ? { ...superjson.serialize(value.value), trace: value.trace }
        : superjson.serialize(value),
    deserialize: (wire: unknown) =>
      superjson.deserialize(wire as Parameters<typeof superjson.deserialize>[0]),
  },
  output: superjson,
};
