import { withRequestStats } from '@mesh/telemetry';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MeshContext } from './context.js';

const tracer = trace.getTracer('@mesh/kit');

interface ProcedureCall {
  ctx: MeshContext;
  path: string;
  type: string;
}

type MiddlewareOutcome = { ok: true } | { ok: false; error: { code: string; cause?: unknown } };

/**
 * Runs one procedure call inside its own span (`<service>.<procedure>`) and stats scope.
 * The parent is the active span (HTTP instrumentation) or else the caller's `traceparent`,
 * so a call keeps its caller's trace whatever the transport. Query and cache counts land
 * on the span and in the service's metrics.
 */
export async function traceProcedure<TResult extends MiddlewareOutcome>(
  { ctx, path, type }: ProcedureCall,
  next: () => Promise<TResult>,
): Promise<TResult> {
  const active = context.active();
  const parent = trace.getSpan(active) ? active : propagation.extract(active, ctx.headers);
  const span = tracer.startSpan(
    `${ctx.service}.${path}`,
    {
      kind: trace.getSpan(active) ? SpanKind.INTERNAL : SpanKind.SERVER,
      attributes: {
        'rpc.system': 'trpc',
        'rpc.service': ctx.service,
        'rpc.method': path,
        'mesh.batch_size': ctx.batchSize,
      },
    },
    parent,
  );
  const started = performance.now();
  const { result, stats } = await context.with(trace.setSpan(parent, span), () => withRequestStats(next));
  const code = result.ok ? 'OK' : result.error.code;
  span.setAttributes({
    'mesh.result_code': code,
    'db.query_count': stats.dbQueries,
    'db.query_ms': stats.dbMs,
    'cache.hits': stats.cacheHits,
    'cache.misses': stats.cacheMisses,
    'cache.redis_round_trips': stats.redisRoundTrips,
  });
  if (!result.ok) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    if (code === 'INTERNAL_SERVER_ERROR') {
      ctx.log.error({ err: result.error.cause ?? result.error, procedure: path }, 'procedure failed');
    }
  }
  span.end();
  ctx.metrics.observeProcedure({
    procedure: path,
    type,
    code,
    seconds: (performance.now() - started) / 1000,
    dbQueries: stats.dbQueries,
  });
  return result;
}
