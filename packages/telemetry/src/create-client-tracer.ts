import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { tracesUrl } from './start-telemetry.js';

export interface CreateClientTracerOptions {
  /** How the caller shows up in a trace, e.g. `mesh-cli`. */
  serviceName: string;
  /** OTLP/HTTP base URL (the trace explorer); spans are made but not exported when unset. */
  endpoint?: string | undefined;
  protocol?: 'http/protobuf' | 'http/json';
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface ClientTracer {
  tracer: Tracer;
  /** Exports what is left; gives up after `timeoutMs` so a caller is never held by a dead endpoint. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * What SDK 2's `NodeTracerProvider.register()` did, which SDK 3 leaves to the caller: an
 * AsyncLocalStorage context manager and the W3C propagator, once per process (a second
 * registration is refused by the API, so the first provider's stay).
 */
function registerGlobals(provider: TracerProvider): void {
  const manager = new AsyncLocalStorageContextManager();
  if (context.setGlobalContextManager(manager.enable())) {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  } else {
    manager.disable();
  }
}

/**
 * A tracer for a process that calls the mesh without serving it (the CLI, the demo traffic):
 * its spans are the roots of the traces the services join, through the `traceparent` the SDK
 * sends. The tracer is the provider's own, not the global one, so several can live (and shut
 * down) in one process; the context manager and W3C propagator are registered globally once,
 * as the SDK's trace link reads the active context through the global API.
 */
export function createClientTracer({
  serviceName,
  endpoint,
  protocol = 'http/protobuf',
  spanProcessors = [],
}: CreateClientTracerOptions): ClientTracer {
  const Exporter = protocol === 'http/json' ? JsonTraceExporter : ProtobufTraceExporter;
  const exporting = endpoint
    ? [new BatchSpanProcessor({ exporter: new Exporter({ url: tracesUrl(endpoint) }) })]
    : [];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [...exporting, ...spanProcessors],
  });
  registerGlobals(provider);
  return {
    tracer: provider.getTracer(serviceName),
    shutdown: async (timeoutMs = 3000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      await Promise.race([provider.shutdown().catch(() => undefined), late]);
      clearTimeout(timer);
    },
  };
}
