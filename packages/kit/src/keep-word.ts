import { isKeptByRule } from '@mesh/telemetry';
import { TraceKept } from '@mesh/wire';
import type { Span } from '@opentelemetry/api';
import type { MeshContext } from './context.js';

// HTTP contexts are made per request, so a context marks its request's answer.
const keptAnswers = new WeakSet<MeshContext>();

/**
 * After a call's span ended: when the keep rule is exporting this process's part of an
 * unsampled trace (an error, a callee's word, or the local root running late), the caller
 * must hear it, or its own held spans of the trace are dropped. Over a websocket the word
 * rides in the result (`TraceKept`); over HTTP the request is marked for the
 * `x-mesh-trace-keep` header (`saidKeep`). A failed call needs no word: the caller keeps on
 * any failure.
 */
export function withKeepWord<TResult extends { ok: boolean }>(
  ctx: MeshContext,
  type: string,
  span: Span,
  result: TResult,
): TResult {
  if (!result.ok || type === 'subscription' || !isKeptByRule(span)) return result;
  if (ctx.transport === 'websocket') {
    return { ...result, data: new TraceKept((result as { data?: unknown }).data) };
  }
  keptAnswers.add(ctx);
  return result;
}

/** Whether an HTTP request's answer must carry the keep word. */
export function saidKeep(ctx: MeshContext): boolean {
  return keptAnswers.has(ctx);
}
