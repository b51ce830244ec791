import { ExplorerError } from './errors.js';
import { levelOf, type StoredLog } from './stored-log.js';
import type { Attributes, AttributeValue } from './stored-span.js';
import { redactText, withoutSecrets } from './without-secrets.js';

/** A log record as either OTLP encoding decodes it. */
export interface OtlpLog {
  timeNs: number;
  observedNs: number;
  severity: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  traceId: string;
  spanId: string;
}

const TRACE_ID = /^([0-9a-f]{32})?$/;
const SPAN_ID = /^([0-9a-f]{16})?$/;
const ZERO = /^0+$/;

/** Checks ids and times and converts to the stored shape (seq 0: the store numbers it). */
export function toStoredLog(log: OtlpLog, service: string): StoredLog {
  if (!TRACE_ID.test(log.traceId))
    throw new ExplorerError('OTLP_MALFORMED', 'a log record has an invalid trace id');
  if (!SPAN_ID.test(log.spanId))
    throw new ExplorerError('OTLP_MALFORMED', 'a log record has an invalid span id');
  const timeNs = log.timeNs || log.observedNs;
  if (!Number.isFinite(timeNs) || timeNs < 0)
    throw new ExplorerError('OTLP_MALFORMED', 'a log record has an invalid time');
  const stored: StoredLog = {
    seq: 0,
    timeMs: timeNs / 1e6,
    service,
    level: levelOf(log.severity, log.severityText),
    severity: log.severity,
    message: redactText(
      typeof log.body === 'string' ? log.body : log.body === null ? '' : JSON.stringify(log.body),
    ),
    attributes: withoutSecrets(log.attributes),
  };
  if (log.traceId && !ZERO.test(log.traceId)) stored.traceId = log.traceId;
  if (log.spanId && !ZERO.test(log.spanId)) stored.spanId = log.spanId;
  return stored;
}
