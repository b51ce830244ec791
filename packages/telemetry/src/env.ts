import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const schema = z.object({
  /** Base URL of an OTLP/HTTP receiver (the trace explorer, an OTel Collector); export is off when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** The OTLP/HTTP encoding; protobuf, the OTLP default, costs the exporting process less than JSON. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(
    emptyAsUndefined,
    z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type TelemetryEnv = z.infer<typeof schema>;

/** Reads the telemetry settings; throws naming the bad variable. */
export function readTelemetryEnv(source: Record<string, string | undefined> = process.env): TelemetryEnv {
  return parseEnv(schema, source);
}
