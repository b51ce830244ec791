/**
 * The W3C trace headers of one call. The client captures them from the caller's active
 * context; over a websocket they travel beside the call's input, where the kit reads them.
 */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

export function isTraceCarrier(value: unknown): value is TraceCarrier {
  return (
    typeof value === 'object' && value !== null && typeof (value as TraceCarrier).traceparent === 'string'
  );
}
