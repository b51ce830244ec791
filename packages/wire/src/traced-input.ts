import type { TraceCarrier } from './trace-carrier.js';

/** An input on its way out with the trace context of the call that made it. */
export class TracedInput {
  constructor(
    readonly value: unknown,
    readonly trace: TraceCarrier,
  ) {}
}
