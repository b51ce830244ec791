import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

/** The samplers of the OpenTelemetry spec's `OTEL_TRACES_SAMPLER` this SDK can build. */
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type TracesSamplerName = (typeof TRACES_SAMPLERS)[number];

const count = (fallback: number, min: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).default(fallback));

const optionalCount = z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).optional());

const schema = z.object({
  /** Base URL of an OTLP/HTTP receiver (the trace explorer, an OTel Collector); export is off when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** The OTLP/HTTP encoding; protobuf, the OTLP default, costs the exporting process less than JSON. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(
    emptyAsUndefined,
    z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
  ),
  /**
   * The head sampler, as the OpenTelemetry spec names them. SDK 3's NodeSDK no longer reads
   * this variable when it is given its processors, so it is read here and built in code.
   * The spec's default, `parentbased_always_on`: every trace, which `npm start` wants.
   */
  OTEL_TRACES_SAMPLER: z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? value.trim().toLowerCase() : undefined),
    z.enum(TRACES_SAMPLERS).default('parentbased_always_on'),
  ),
  /** The ratio of the `traceidratio` samplers, 0 to 1 (the spec's default, 1). */
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(1).optional()),
  /**
   * The keep rule: a trace the head sampler dropped is still exported, whole in this process,
   * when its local root lasted this long or more. 0 turns the latency part off.
   */
  MESH_TRACE_KEEP_SLOW_MS: count(500, 0),
  /** The keep rule's other half: a dropped trace in which a span ended in error is exported. */
  MESH_TRACE_KEEP_ERRORS: z.preprocess(emptyAsUndefined, z.stringbool().default(true)),
  /** The span batcher's settings, by their spec names (NodeSDK 3 leaves these to code too). */
  OTEL_BSP_SCHEDULE_DELAY: count(5_000, 0),
  OTEL_BSP_MAX_QUEUE_SIZE: count(2_048, 1),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count(512, 1),
  OTEL_BSP_EXPORT_TIMEOUT: count(30_000, 1),
  /**
   * Span limits, by their spec names; the span-specific one wins over the general. Read here
   * so the SDK's spans and the lean call spans (lean-span.ts) keep the same ones.
   */
  OTEL_ATTRIBUTE_COUNT_LIMIT: optionalCount,
  OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: optionalCount,
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: optionalCount,
  OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: optionalCount,
  OTEL_SPAN_EVENT_COUNT_LIMIT: count(128, 0),
  OTEL_SPAN_LINK_COUNT_LIMIT: count(128, 0),
  OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: optionalCount,
  OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT: optionalCount,
  OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: optionalCount,
  OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT: optionalCount,
  /** NodeSDK's resource detectors to run (`env,host,os,process,serviceinstance`, `all`, `none`); all when unset. */
  OTEL_NODE_RESOURCE_DETECTORS: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type TelemetryEnv = z.infer<typeof schema>;

/** Reads the telemetry settings; throws naming the bad variable. */
export function readTelemetryEnv(source: Record<string, string | undefined> = process.env): TelemetryEnv {
  return parseEnv(schema, source);
}

/** The span limits the settings give, with the spec's defaults (128 of each; values unlimited). */
export function spanLimitsOf(env: TelemetryEnv) {
  return {
    attributeCountLimit: env.OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT ?? env.OTEL_ATTRIBUTE_COUNT_LIMIT ?? 128,
    attributeValueLengthLimit:
      env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT ?? env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT ?? Infinity,
    eventCountLimit: env.OTEL_SPAN_EVENT_COUNT_LIMIT,
    linkCountLimit: env.OTEL_SPAN_LINK_COUNT_LIMIT,
    attributePerEventCountLimit:
      env.OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT ?? env.OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT ?? 128,
    attributePerLinkCountLimit:
      env.OTEL_LINK_ATTRIBUTE_COUNT_LIMIT ?? env.OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT ?? 128,
  };
}
