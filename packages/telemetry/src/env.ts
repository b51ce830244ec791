import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const schema = z.object({
  /** Base URL of an OTLP/HTTP receiver (the trace explorer, an OTel Collector); export is off when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type TelemetryEnv = z.infer<typeof schema>;

/** Reads the telemetry settings; throws naming the bad variable. */
export function readTelemetryEnv(source: Record<string, string | undefined> = process.env): TelemetryEnv {
  return parseEnv(schema, source);
}
