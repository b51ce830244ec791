import { register } from 'node:module';
import { context, createContextKey, ProxyTracerProvider, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation, InstrumentationBase } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import {
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  type ResourceDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { BatchLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { createSampler } from './create-sampler.js';
import { EncodedBatchSpanProcessor } from './encoded-batch-span-processor.js';
import { readTelemetryEnv, spanLimitsOf, type TelemetryEnv, type TracesSamplerName } from './env.js';
import { createKeepRuleProcessor } from './keep-rule-processor.js';
import { CALL_SCOPE, installCallTracer, LeanTracer } from './lean-tracer.js';
import { PooledIdGenerator } from './pooled-id-generator.js';
import { carryStatsInContext } from './request-stats.js';
import { createUndiciInstrumentation } from './undici-without-secrets.js';
import { WorkerSpanExporter } from './worker-span-exporter.js';

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
  /** Sampling and the keep rule; each setting from the environment (env.ts) unless given. */
  sampling?: Partial<Sampling>;
  /**
   * Where exported spans are posted from: a worker thread of their own (the default), or this
   * thread, as the SDK's exporter does (kept for the tracing bench's comparison).
   */
  exportThread?: 'worker' | 'main';
}

/** How a process samples: the head sampler, and the keep rule behind it. */
export interface Sampling {
  /** `OTEL_TRACES_SAMPLER`. */
  sampler: TracesSamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`. */
  ratio: number | undefined;
  /** `MESH_TRACE_KEEP_SLOW_MS`: 0 keeps nothing for latency. */
  keepSlowMs: number;
  /** `MESH_TRACE_KEEP_ERRORS`. */
  keepErrors: boolean;
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

/** An instrumentation that says which modules it patches (each contrib package has its own copy of the base class). */
type PatchingInstrumentation = Instrumentation & Pick<InstrumentationBase, 'getModuleDefinitions'>;

function instrumentations(): PatchingInstrumentation[] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbe(request.url) }),
    // fetch, with bot tokens cut from the URL before the span starts.
    createUndiciInstrumentation(),
    // Only inside a traced unit of work: a queue's polling or a pool's keep-alive outside any
    // request would otherwise make a one-span trace per command.
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}

function samplingOf(env: TelemetryEnv, given: Partial<Sampling>): Sampling {
  return {
    sampler: given.sampler ?? env.OTEL_TRACES_SAMPLER,
    ratio: 'ratio' in given ? given.ratio : env.OTEL_TRACES_SAMPLER_ARG,
    keepSlowMs: given.keepSlowMs ?? env.MESH_TRACE_KEEP_SLOW_MS,
    keepErrors: given.keepErrors ?? env.MESH_TRACE_KEEP_ERRORS,
  };
}

function spanExporter(url: string, protocol: 'http/protobuf' | 'http/json', thread: 'worker' | 'main') {
  if (thread === 'worker') return new WorkerSpanExporter({ url, protocol });
  const Exporter = protocol === 'http/json' ? JsonTraceExporter : ProtobufTraceExporter;
  return new Exporter({ url });
}

/**
 * The batching processor in front of the exporter, with the OTEL_BSP_* settings. Protobuf
 * from the worker (a service's default): each span written as it ends. JSON, or posted from
 * this thread: the SDK's batch span processor, serialising each batch when it is sent.
 */
function spanExport(
  endpoint: string,
  protocol: 'http/protobuf' | 'http/json',
  env: TelemetryEnv,
  thread: 'worker' | 'main',
): SpanProcessor {
  const batching = {
    scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
    maxQueueSize: env.OTEL_BSP_MAX_QUEUE_SIZE,
    maxExportBatchSize: env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    exportTimeoutMillis: env.OTEL_BSP_EXPORT_TIMEOUT,
  };
  const url = tracesUrl(endpoint);
  if (thread === 'worker' && protocol === 'http/protobuf') {
    return new EncodedBatchSpanProcessor({
      exporter: new WorkerSpanExporter({ url, protocol }),
      ...batching,
    });
  }
  return new BatchSpanProcessor({ exporter: spanExporter(url, protocol, thread), ...batching });
}

/**
 * The processors spans go through. With the keep rule on (a latency threshold or errors, and
 * a sampler that can drop), every span is recorded and the rule decides per local
 * trace which unsampled ones reach the exporters; with nothing exported it has nothing to do.
 */
function spanPipeline(processors: SpanProcessor[], sampling: Sampling, keepRule: boolean): SpanProcessor[] {
  if (processors.length === 0) return [discardProcessor];
  if (!keepRule) return processors;
  return [
    createKeepRuleProcessor({ processors, slowMs: sampling.keepSlowMs, keepErrors: sampling.keepErrors }),
  ];
}

/** Every sampler but always_on can drop a trace (parentbased_always_on: one whose caller dropped it). */
function keepRuleOn(sampling: Sampling): boolean {
  return sampling.sampler !== 'always_on' && (sampling.keepErrors || sampling.keepSlowMs > 0);
}

/** The packages and core modules `list` patches (`http`, `pg`, `ioredis`...), by the names they import by. */
function instrumentedModules(list: readonly PatchingInstrumentation[]): string[] {
  return [...new Set(list.flatMap((each) => each.getModuleDefinitions().map((module) => module.name)))];
}

const DETECTORS = {
  serviceinstance: serviceInstanceIdDetector,
  process: processDetector,
  host: hostDetector,
  os: osDetector,
  env: envDetector,
} as const;

/** NodeSDK's rule for `OTEL_NODE_RESOURCE_DETECTORS`: all when unset or `all`, none with `none`. */
export function resourceDetectors(names: string | undefined): ResourceDetector[] {
  const listed = (names ?? 'all').split(',').map((name) => name.trim());
  if (listed.includes('none')) return [];
  if (listed.includes('all')) return Object.values(DETECTORS);
  return listed.flatMap((name) => (name in DETECTORS ? [DETECTORS[name as keyof typeof DETECTORS]] : []));
}

/** Starts the OpenTelemetry Node SDK for one process. Call it first thing in `main.ts`. */
export function startTelemetry({
  serviceName,
  endpoint,
  spanProcessors = [],
  logRecordProcessors = [],
  instrument = false,
  protocol,
  sampling: givenSampling = {},
  exportThread = 'worker',
}: StartTelemetryOptions): Telemetry {
  const patching = instrument ? instrumentations() : [];
  if (instrument && !hookRegistered) {
    // Only the modules the instrumentations patch go through import-in-the-middle. Unlimited, it
    // wraps every ESM module the process imports: slower start-up, and a "failed to wrap" warning
    // for each one it cannot parse (the Prisma clients' generated client.ts under tsx).
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
      data: { include: instrumentedModules(patching) },
    });
    hookRegistered = true;
  }
  const env = readTelemetryEnv();
  const encoding = protocol ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  const sampling = samplingOf(env, givenSampling);
  const exporting = endpoint ? [spanExport(endpoint, encoding, env, exportThread)] : [];
  const processors = [...exporting, ...spanProcessors];
  const keepRule = processors.length > 0 && keepRuleOn(sampling);
  // One generator for the SDK's tracer and the call tracer, so the ratio sampler knows its ids.
  const ids = new PooledIdGenerator();
  const sampler = createSampler({ sampler: sampling.sampler, ratio: sampling.ratio, keepRule, ids });
  const pipeline = spanPipeline(processors, sampling, keepRule);
  const limits = spanLimitsOf(env);
  // Detected here, as NodeSDK would, so the call tracer's spans share the SDK's resource.
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }).merge(
    detectResources({ detectors: resourceDetectors(env.OTEL_NODE_RESOURCE_DETECTORS) }),
  );
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    sampler,
    idGenerator: ids,
    spanLimits: limits,
    spanProcessors: pipeline,
    // Metrics are scraped from /metrics (prom-client). Without these lists the SDK would
    // default to OTLP exporters, posting to localhost:4318 even with no endpoint set.
    metricReaders: [],
    logRecordProcessors: [...(endpoint ? [logExport(endpoint, encoding)] : []), ...logRecordProcessors],
    instrumentations: patching,
  });
  const before = globalProviderDelegate();
  sdk.start();
  // The lean call tracer stands beside the SDK's provider only if that provider is the
  // process's (the API keeps the first one registered): else the calls' spans would go to
  // processors the rest of the process's spans do not.
  const callTracer =
    globalProviderDelegate() !== before
      ? new LeanTracer({
          scope: { name: CALL_SCOPE },
          sampler,
          processors: pipeline,
          resource,
          limits,
          idGenerator: ids,
        })
      : undefined;
  if (callTracer) installCallTracer(callTracer);
  const statsInContext = contextIsCarried();
  if (statsInContext) carryStatsInContext(true);
  return {
    shutdown: async () => {
      if (callTracer) installCallTracer(undefined);
      if (statsInContext) carryStatsInContext(false);
      await sdk.shutdown();
    },
  };
}

const PROBE = createContextKey('mesh.contextProbe');

/** Whether a context manager is registered that carries a context set with `context.with`. */
function contextIsCarried(): boolean {
  return context.with(ROOT_CONTEXT.setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
}

/** What the API's global tracer provider hands out to (the no-op one until one is registered). */
function globalProviderDelegate(): unknown {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
}
