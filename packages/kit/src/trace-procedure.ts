import { callTracer, type RequestStats, withRequestStats, withSpanAndStats } from '@mesh/telemetry';
import type { TraceCarrier } from '@mesh/wire';
import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { rememberCallSpan } from './call-span.js';
import type { MeshContext } from './context.js';
import { withKeepWord } from './keep-word.js';
import { isAsyncIterable, traceMessages } from './trace-messages.js';

interface ProcedureCall {
  ctx: MeshContext;
  path: string;
  type: string;
  /** The call's own trace context when its transport carries one per call (websocket). */
  carrier?: TraceCarrier | undefined;
  /** Bytes of the call's input JSON as it arrived. */
  inputBytes?: number | undefined;
}

type MiddlewareOutcome = { ok: true } | { ok: false; error: { code: string; cause?: unknown } };

function finish(
  call: ProcedureCall,
  span: Span,
  started: number,
  stats: RequestStats,
  error: MiddlewareOutcome | undefined,
) {
  const failure = error && !error.ok ? error.error : undefined;
  const code = failure ? failure.code : 'OK';
  // One value at a time: an object of them would be made, and walked key by key, on every call.
  span.setAttribute('mesh.result_code', code);
  span.setAttribute('db.query_count', stats.dbQueries);
  span.setAttribute('db.query_ms', stats.dbMs);
  span.setAttribute('cache.hits', stats.cacheHits);
  span.setAttribute('cache.misses', stats.cacheMisses);
  span.setAttribute('cache.redis_round_trips', stats.redisRoundTrips);
  if (failure) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    if (code === 'INTERNAL_SERVER_ERROR') {
      call.ctx.log.error({ err: failure.cause ?? failure, procedure: call.path }, 'procedure failed');
    }
  }
  span.end();
  call.ctx.metrics.observeProcedure({
    procedure: call.path,
    type: call.type,
    code,
    seconds: (performance.now() - started) / 1000,
    dbQueries: stats.dbQueries,
  });
}

/**
 * Where a call's span hangs: a websocket call under the trace context it carried, or at the
 * root (the socket's upgrade headers belong to whichever call opened it, never to this one);
 * an HTTP call under the active span (HTTP instrumentation) or else its `traceparent`.
 */
function parentContext(call: ProcedureCall, active: Context): Context {
  if (call.ctx.transport === 'websocket') {
    return call.carrier ? propagation.extract(ROOT_CONTEXT, call.carrier) : ROOT_CONTEXT;
  }
  return trace.getSpan(active) ? active : propagation.extract(active, call.ctx.headers);
}

/**
 * The span's attributes at its start. A call through the gRPC face is named by its proto
 * method, as OpenTelemetry's gRPC conventions ask; the procedure stays in the span name and
 * `mesh.procedure`. Written as literals, keys in the same order, rather than spread together:
 * the common HTTP and websocket call builds one object.
 */
function startAttributes({ ctx, path, inputBytes }: ProcedureCall): Attributes {
  const { grpc } = ctx;
  if (grpc) {
    const attributes: Attributes = {
      'rpc.system': 'grpc',
      'rpc.service': grpc.service,
      'rpc.method': grpc.method,
      'mesh.procedure': path,
      'mesh.batch_size': ctx.batchSize,
    };
    if (inputBytes !== undefined) attributes['mesh.input_bytes'] = inputBytes;
    return attributes;
  }
  if (inputBytes === undefined) {
    return {
      'rpc.system': 'trpc',
      'rpc.service': ctx.service,
      'rpc.method': path,
      'mesh.batch_size': ctx.batchSize,
    };
  }
  return {
    'rpc.system': 'trpc',
    'rpc.service': ctx.service,
    'rpc.method': path,
    'mesh.batch_size': ctx.batchSize,
    'mesh.input_bytes': inputBytes,
  };
}

/**
 * Runs one procedure call inside its own span (`<service>.<procedure>`) and stats scope.
 * The parent is the active span (HTTP instrumentation) or else the caller's `traceparent`,
 * so a call keeps its caller's trace whatever the transport. Query and cache counts land
 * on the span and in the service's metrics, whether `next` answers or throws.
 */
export async function traceProcedure<TResult extends MiddlewareOutcome>(
  call: ProcedureCall,
  next: () => Promise<TResult>,
): Promise<TResult> {
  const { layersOff } = call.ctx;
  const active = context.active();
  if (layersOff.has('span')) return untraced(call, next, active);
  const parent = parentContext(call, active);
  const hasSpan = parent === active && trace.getSpan(active) !== undefined;
  const span = callTracer().startSpan(
    `${call.ctx.service}.${call.path}`,
    { kind: hasSpan ? SpanKind.INTERNAL : SpanKind.SERVER, attributes: startAttributes(call) },
    parent,
  );
  rememberCallSpan(call.ctx, span);
  const started = performance.now();
  let stats: RequestStats | undefined;
  try {
    const run = () => withSpanAndStatsOf(call, parent, span, next);
    const outcome = call.ctx.transport === 'websocket' ? await call.ctx.inFlight.track(run) : await run();
    stats = outcome.stats;
    finish(call, span, started, stats, outcome.result);
    return call.type === 'subscription'
      ? withMessageSpans(call, span, parent, outcome.result)
      : withKeepWord(call.ctx, call.type, span, outcome.result);
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    finish(call, span, started, stats ?? emptyStats, { ok: false, error });
    throw error;
  }
}

/** A subscription's stream, with a span per message delivered under the subscription's span. */
function withMessageSpans<TResult extends MiddlewareOutcome>(
  call: ProcedureCall,
  span: Span,
  parent: ReturnType<typeof context.active>,
  result: TResult,
): TResult {
  const data = (result as { data?: unknown }).data;
  if (!result.ok || !isAsyncIterable(data)) return result;
  const name = `${call.ctx.service}.${call.path} message`;
  return { ...result, data: traceMessages(callTracer(), name, trace.setSpan(parent, span), data) };
}

/** The span and the request-stats scope, unless the cost bench took the scope away. */
function withSpanAndStatsOf<TResult>(
  call: ProcedureCall,
  parent: Context,
  span: Span,
  next: () => Promise<TResult>,
) {
  if (!call.ctx.layersOff.has('stats')) return withSpanAndStats(parent, span, next);
  return context.with(trace.setSpan(parent, span), () => withStats(call, next));
}

/** The request-stats scope, unless the cost bench took it away. */
function withStats<TResult>(call: ProcedureCall, next: () => Promise<TResult>) {
  if (!call.ctx.layersOff.has('stats')) return withRequestStats(next);
  return next().then((result) => ({ result, stats: emptyStats }));
}

/** The cost bench's call without a span: the stats scope and the metrics, as with one. */
async function untraced<TResult extends MiddlewareOutcome>(
  call: ProcedureCall,
  next: () => Promise<TResult>,
  active: Context,
): Promise<TResult> {
  const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  const started = performance.now();
  let stats: RequestStats | undefined;
  try {
    const outcome =
      call.ctx.transport === 'websocket'
        ? await call.ctx.inFlight.track(() => withStats(call, next))
        : await withStats(call, next);
    stats = outcome.stats;
    finish(call, span, started, stats, outcome.result);
    return call.type === 'subscription'
      ? withMessageSpans(call, span, active, outcome.result)
      : outcome.result;
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    finish(call, span, started, stats ?? emptyStats, { ok: false, error });
    throw error;
  }
}

const emptyStats: RequestStats = { dbQueries: 0, dbMs: 0, cacheHits: 0, cacheMisses: 0, redisRoundTrips: 0 };
