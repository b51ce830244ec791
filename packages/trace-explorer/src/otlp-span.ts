import { ExplorerError } from './errors.js';
import type { Attributes, SpanStatus, StoredSpan } from './stored-span.js';
import { redactText, withoutSecrets } from './without-secrets.js';

/** A span as either OTLP encoding decodes it, before it becomes a StoredSpan. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: number;
  endNs: number;
  attributes: Attributes;
  events: Array<{ timeNs: number; name: string; attributes: Attributes }>;
  statusCode: number;
  statusMessage: string;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const statuses: readonly SpanStatus[] = ['unset', 'ok', 'error'];
/** Checks ids and times and converts to the stored shape; throws OTLP_MALFORMED on a bad span. */
export function toStoredSpan(span: OtlpSpan, service: string): StoredSpan {
  if (!TRACE_ID.test(span.traceId) || /^0+$/.test(span.traceId)) {
    throw new ExplorerError('OTLP_MALFORMED', 'a span has an invalid trace id');
  }
  if (!SPAN_ID.test(span.spanId)) throw new ExplorerError('OTLP_MALFORMED', 'a span has an invalid span id');
  if (span.parentSpanId !== '' && !SPAN_ID.test(span.parentSpanId)) {
    throw new ExplorerError('OTLP_MALFORMED', 'a span has an invalid parent span id');
  }
  if (!Number.isFinite(span.startNs) || !Number.isFinite(span.endNs)) {
    throw new ExplorerError('OTLP_MALFORMED', 'a span has invalid times');
  }
  const startMs = span.startNs / 1e6;
  const stored: StoredSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    service,
    kind: span.kind,
    startMs,
    durationMs: Math.max(0, span.endNs / 1e6 - startMs),
    status: statuses[span.statusCode] ?? 'unset',
    attributes: withoutSecrets(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      offsetMs: event.timeNs / 1e6 - startMs,
      attributes: withoutSecrets(event.attributes),
    })),
  };
  if (span.parentSpanId !== '') stored.parentSpanId = span.parentSpanId;
  if (span.statusMessage !== '') stored.statusMessage = redactText(span.statusMessage);
  return stored;
}

/** The service a resource names, as OTel SDKs set it (`unknown_service` when unset). */
export function serviceOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : 'unknown_service';
}
