import { type AnyValue, logs, ROOT_CONTEXT, SeverityNumber, TraceFlags, trace } from '@opentelemetry/api';

// pino's numeric levels, as OTLP severities.
const severities: Record<number, [SeverityNumber, string]> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};
// Fields every line has, carried by the record itself or by the resource.
const carried = new Set(['level', 'time', 'msg', 'trace_id', 'span_id', 'pid', 'hostname', 'name']);

function attributeOf(value: unknown): AnyValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/**
 * A pino destination that hands each line, as pino wrote it (so after redaction), to the
 * OpenTelemetry logs API, under the trace and span ids the line carries. With no logger
 * provider registered that is a no-op; with one, its batch processor sends the records over
 * OTLP from a queue of bounded size that drops when full, so a receiver that is down never
 * blocks or slows the service.
 */
export function createOtelLogStream(name: string): { write(line: string): void } {
  const logger = logs.getLogger(name);
  return {
    write(line) {
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      const [severityNumber, severityText] = severities[Number(fields.level)] ?? [
        SeverityNumber.INFO,
        'INFO',
      ];
      const attributes: Record<string, AnyValue> = {};
      for (const [key, value] of Object.entries(fields)) {
        if (!carried.has(key)) attributes[key] = attributeOf(value);
      }
      const { trace_id: traceId, span_id: spanId } = fields;
      const context =
        typeof traceId === 'string' && typeof spanId === 'string'
          ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED })
          : ROOT_CONTEXT;
      logger.emit({
        timestamp: typeof fields.time === 'number' ? fields.time : Date.now(),
        severityNumber,
        severityText,
        body: typeof fields.msg === 'string' ? fields.msg : '',
        attributes,
        context,
      });
    },
  };
}
