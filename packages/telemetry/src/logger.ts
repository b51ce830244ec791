import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';
import { createOtelLogStream } from './otel-log-stream.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; stdout by default (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/** A pino JSON logger whose every line carries the active trace_id and span_id, and reaches OTLP logs. */
export function createLogger({ name, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.token', 'token'],
      remove: true,
    },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  // Every line goes to its destination and to the OTel logs API (sent over OTLP beside the
  // spans when startTelemetry exports, dropped otherwise).
  const streams = pino.multistream(
    [
      { level: 'trace', stream: destination ?? pino.destination({ dest: 1, sync: false }) },
      { level: 'trace', stream: createOtelLogStream(name) },
    ],
    { dedupe: false },
  );
  return pino(options, streams);
}
