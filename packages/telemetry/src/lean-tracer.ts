import {
  type Context,
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  type Link,
  SamplingDecision,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { cleanAttributes, type InstrumentationScope, isTracingSuppressed } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  type IdGenerator,
  RandomIdGenerator,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { LeanSpan, type LeanSpanLimits } from './lean-span.js';

export interface LeanTracerOptions {
  scope: InstrumentationScope;
  /** The same sampler, processors, resource and limits the process's tracer provider was given. */
  sampler: Sampler;
  processors: readonly SpanProcessor[];
  resource: Resource;
  limits: LeanSpanLimits;
  idGenerator?: IdGenerator;
}

/**
 * A tracer making `LeanSpan`s, beside the SDK's own tracer provider and fed the same sampler,
 * processors and resource, so its spans are sampled, kept, batched and exported as the SDK's
 * are. It starts spans as the SDK's tracer does (suppressed tracing gives the invalid span,
 * a valid parent gives its trace id and trace state, the sampler decides recording and the
 * sampled flag); a span asked for with its own start time is left to the SDK's tracer.
 */
export class LeanTracer implements Tracer {
  private readonly idGenerator: IdGenerator;

  constructor(private readonly options: LeanTracerOptions) {
    this.idGenerator = options.idGenerator ?? new RandomIdGenerator();
  }

  startSpan(name: string, spanOptions: SpanOptions = {}, context: Context = contextApi.active()): Span {
    if (spanOptions.startTime !== undefined) {
      return trace.getTracer(this.options.scope.name).startSpan(name, spanOptions, context);
    }
    const parentContext = spanOptions.root ? trace.deleteSpan(context) : context;
    if (isTracingSuppressed(parentContext)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = trace.getSpan(parentContext)?.spanContext();
    const validParent = parent && isSpanContextValid(parent) ? parent : undefined;
    const traceId = validParent ? validParent.traceId : this.idGenerator.generateTraceId();
    const spanId = this.idGenerator.generateSpanId();
    const kind = spanOptions.kind ?? SpanKind.INTERNAL;
    const links: Link[] = !spanOptions.links?.length
      ? []
      : spanOptions.links.map((link) => ({
          context: link.context,
          ...cleanAttributes(link.attributes, {
            attributeCountLimit: this.options.limits.attributePerLinkCountLimit,
            attributeValueLengthLimit: this.options.limits.attributeValueLengthLimit,
          }),
        }));
    const attributes = spanOptions.attributes ?? {};
    const sampling = this.options.sampler.shouldSample(parentContext, traceId, name, kind, attributes, links);
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags:
        sampling.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE,
      traceState: sampling.traceState ?? validParent?.traceState,
    };
    if (sampling.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
    return new LeanSpan({
      name,
      kind,
      spanContext,
      parentSpanContext: validParent,
      context: parentContext,
      attributes: sampling.attributes ? { ...attributes, ...sampling.attributes } : attributes,
      links,
      resource: this.options.resource,
      scope: this.options.scope,
      processors: this.options.processors,
      limits: this.options.limits,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest.at(-1) as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : {};
    const parent = rest.length > 2 ? (rest[1] as Context) : contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

/** The instrumentation scope of the kit's call spans, lean or not. */
export const CALL_SCOPE = '@mesh/kit';

let installed: LeanTracer | undefined;
/** The API's tracer, made once: it hands each span to whatever provider is registered then. */
const apiTracer = trace.getTracer(CALL_SCOPE);

/**
 * Makes `tracer` the one `callTracer()` gives, or, with undefined, goes back to the API's.
 * Done by `startTelemetry` once its tracer provider is the process's, and undone at shutdown.
 */
export function installCallTracer(tracer: LeanTracer | undefined): void {
  installed = tracer;
}

/**
 * The tracer for the spans of procedure calls, the hottest spans of a service: the lean one
 * `startTelemetry` installed beside its provider, or else (no telemetry started here, or
 * another tracer provider registered first) the API's tracer of the global provider.
 */
export function callTracer(): Tracer {
  return installed ?? apiTracer;
}
