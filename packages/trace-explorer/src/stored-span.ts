/** An attribute value as OTLP carries it, flattened to what JSON can show. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** A span event; for `checkpoint()` events, `attributes.elapsed_ms` says when in the span. */
export interface StoredEvent {
  name: string;
  /** Milliseconds since the span started. */
  offsetMs: number;
  attributes: Attributes;
}

export type SpanStatus = 'unset' | 'ok' | 'error';

/** One span as the explorer keeps it: ids in lowercase hex, times in epoch milliseconds. */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** The resource's `service.name`. */
  service: string;
  /** OTLP's SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startMs: number;
  durationMs: number;
  status: SpanStatus;
  statusMessage?: string;
  attributes: Attributes;
  events: StoredEvent[];
}
