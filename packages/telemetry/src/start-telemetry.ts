import { register } from 'node:module';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { readTelemetryEnv } from './env.js';

export interface StartTelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL; nothing is exported when unset (spans still exist, so logs carry trace ids). */
  endpoint?: string | undefined;
  /** OTLP/HTTP encoding; OTEL_EXPORTER_OTLP_PROTOCOL, else protobuf. */
  protocol?: 'http/protobuf' | 'http/json';
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
  /** Extra log record processors (the logger's lines), e.g. an in-memory exporter in tests. */
  logRecordProcessors?: LogRecordProcessor[];
  /**
   * Patch HTTP, undici, pg and ioredis. Needs the ESM loader hook, so a process entry
   * must call this before it imports those modules (main.ts imports its server dynamically).
   */
  instrument?: boolean;
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

/** Keeps a tracer provider registered when nothing is exported, so trace context still flows. */
const discardProcessor: SpanProcessor = {
  onStart() {},
  onEnd() {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

let hookRegistered = false;

/** The OTLP spec's rule for the generic endpoint: append `v1/traces` to its path, keeping any prefix. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** The same rule for logs: `v1/logs`. */
export function logsUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/logs`;
}

/**
 * The logger's lines, exported beside the spans. The queue is bounded (records beyond it are
 * dropped, never waited for), so a receiver that is down costs memory up to the queue and nothing else.
 */
function logExport(endpoint: string, protocol: 'http/protobuf' | 'http/json'): LogRecordProcessor {
  const Exporter = protocol === 'http/json' ? JsonLogExporter : ProtobufLogExporter;
  return new BatchLogRecordProcessor({
    exporter: new Exporter({ url: logsUrl(endpoint), timeoutMillis: 5_000 }),
    maxQueueSize: 2_048,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 1_000,
  });
}

/** Probes and scrapes: a trace each every few seconds would bury the calls in the explorer. */
const unTracedPaths = new Set(['/healthz', '/readyz', '/metrics']);

/** Whether an incoming request is a probe or scrape, by its path without the query. */
export function isProbe(url: string | undefined): boolean {
  return unTracedPaths.has((url ?? '').split('?')[0] as string);
}

function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbe(request.url) }),
    new UndiciInstrumentation(),
    // Only inside a traced unit of work: a queue's polling or a pool's keep-alive outside any
    // request would otherwise make a one-span trace per command.
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}

/** Starts the OpenTelemetry Node SDK for one process. Call it first thing in `main.ts`. */
export function startTelemetry({
  serviceName,
  endpoint,
  spanProcessors = [],
  logRecordProcessors = [],
  instrument = false,
  protocol = readTelemetryEnv().OTEL_EXPORTER_OTLP_PROTOCOL,
}: StartTelemetryOptions): Telemetry {
  if (instrument && !hookRegistered) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    hookRegistered = true;
  }
  const Exporter = protocol === 'http/json' ? JsonTraceExporter : ProtobufTraceExporter;
  const exporting = endpoint
    ? [new BatchSpanProcessor({ exporter: new Exporter({ url: tracesUrl(endpoint) }) })]
    : [];
  const processors = [...exporting, ...spanProcessors];
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: processors.length > 0 ? processors : [discardProcessor],
    // Metrics are scraped from /metrics (prom-client). Without these lists the SDK would
    // default to OTLP exporters, posting to localhost:4318 even with no endpoint set.
    metricReaders: [],
    logRecordProcessors: [...(endpoint ? [logExport(endpoint, protocol)] : []), ...logRecordProcessors],
    instrumentations: instrument ? instrumentations() : [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
