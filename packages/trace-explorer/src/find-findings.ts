import { isPerRowStatement } from './is-per-row-statement.js';
import { normalizeStatement, shortStatement } from './normalize-statement.js';
import { CLIENT, isProcedure, SERVER, type SpanIndex, spanIndex, sqlOf, urlOf } from './span-facts.js';
import type { StoredSpan } from './stored-span.js';

export type FindingKind = 'n+1-query' | 'n+1-call' | 'cache-miss-storm' | 'slow-before-answer';
export const findingKinds: readonly FindingKind[] = [
  'n+1-query',
  'n+1-call',
  'cache-miss-storm',
  'slow-before-answer',
];

/** What is wrong with a trace, and where: `spanId` is the span the repeats or the wait happened under. */
export interface Finding {
  kind: FindingKind;
  spanId: string;
  /** Repeats (statements, calls, missed lookups) or, for slow-before-answer, spans before the answer. */
  count: number;
  /** One line a person reads: `SELECT … FROM users WHERE id = $1 × 100`. */
  label: string;
  service: string;
  /** Time the repeated spans took, summed (slow-before-answer: time before the answer). */
  totalMs: number;
  /** The repeated spans: the rows a waterfall folds into one. */
  spanIds: string[];
  statement?: string;
  procedure?: string;
  namespace?: string;
}

export interface FindingThresholds {
  /** Statements of one shape under one span (default 5). */
  queries: number;
  /** Calls of one procedure of another service under one span, one round trip each (default 5). */
  calls: number;
  /** Separate missed lookups of one cache namespace in one trace (default 10). */
  cacheMisses: number;
}

export const defaultThresholds: FindingThresholds = { queries: 5, calls: 5, cacheMisses: 10 };

const sum = (spans: readonly StoredSpan[]) => spans.reduce((total, span) => total + span.durationMs, 0);
const byStart = (a: StoredSpan, b: StoredSpan) => a.startMs - b.startMs;

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Subscriptions' own spans (the kit hangs a `<procedure> message` span under each one per
 * message): a feed that reads once per wake-up repeats its statement by design, spread over the
 * stream's life, and that is not a loop. Work done to produce one message sits under its message span.
 */
function subscriptionSpanIds(spans: readonly StoredSpan[]): Set<string> {
  const ids = new Set<string>();
  for (const span of spans) {
    if (span.parentSpanId && span.name.endsWith(' message')) ids.add(span.parentSpanId);
  }
  return ids;
}

/**
 * Per-row statements of the same shape under one parent span. A batched statement (an array
 * parameter, a multi-row VALUES) repeated per channel or per chunk is not one: see isPerRowStatement.
 */
function repeatedQueries(spans: readonly StoredSpan[], index: SpanIndex, threshold: number): Finding[] {
  const streams = subscriptionSpanIds(spans);
  const sql = spans.filter((span) => {
    const text = sqlOf(span);
    if (!span.parentSpanId || streams.has(span.parentSpanId)) return false;
    return text !== undefined && isPerRowStatement(text);
  });
  const groups = groupBy(sql, (span) => `${span.parentSpanId} ${normalizeStatement(sqlOf(span) ?? '')}`);
  const found: Finding[] = [];
  for (const group of groups.values()) {
    if (group.length < threshold) continue;
    group.sort(byStart);
    const first = group[0] as StoredSpan;
    const parent = index.parentOf(first);
    found.push({
      kind: 'n+1-query',
      spanId: first.parentSpanId as string,
      count: group.length,
      label: `${shortStatement(sqlOf(first) ?? '')} × ${group.length}`,
      service: parent?.service ?? first.service,
      totalMs: sum(group),
      spanIds: group.map((span) => span.spanId),
      statement: normalizeStatement(sqlOf(first) ?? ''),
      ...(parent && isProcedure(parent) ? { procedure: parent.name } : {}),
    });
  }
  return found;
}

/**
 * Where a procedure call came from: up past its own service's HTTP server span and the
 * caller's client span, to the caller's span that made the call (`anchor`); `head` is the
 * anchor's child on the way, one per round trip.
 */
function callerOf(call: StoredSpan, index: SpanIndex) {
  let head = call;
  let at = index.parentOf(call);
  while (at && at.service === call.service && !isProcedure(at)) {
    head = at;
    at = index.parentOf(at);
  }
  if (!at || at.service === call.service) return undefined;
  while (at && at.kind === CLIENT && !isProcedure(at)) {
    const up = index.parentOf(at);
    if (!up || up.service !== at.service) break;
    head = at;
    at = up;
  }
  return { anchor: at, head };
}

/** The same procedure of another service called once per item under one span. */
function repeatedCalls(spans: readonly StoredSpan[], index: SpanIndex, threshold: number): Finding[] {
  const calls = spans
    .filter(isProcedure)
    .map((span) => ({ span, caller: callerOf(span, index) }))
    .filter((call) => call.caller !== undefined);
  const groups = groupBy(calls, (call) => `${call.caller?.anchor.spanId} ${call.span.name}`);
  const found: Finding[] = [];
  for (const group of groups.values()) {
    const heads = [...new Map(group.map((call) => [call.caller?.head.spanId, call.caller?.head])).values()]
      .filter((head): head is StoredSpan => head !== undefined)
      .sort(byStart);
    if (heads.length < threshold) continue;
    const first = group[0] as (typeof group)[number];
    const anchor = first.caller?.anchor as StoredSpan;
    found.push({
      kind: 'n+1-call',
      spanId: anchor.spanId,
      count: heads.length,
      label: `${first.span.name} × ${heads.length}`,
      service: anchor.service,
      totalMs: sum(heads),
      spanIds: heads.map((span) => span.spanId),
      procedure: first.span.name,
    });
  }
  return found;
}

/** The deepest span every one of `spans` is inside (or is). */
function commonAncestor(spans: readonly StoredSpan[], index: SpanIndex): StoredSpan | undefined {
  const [first, ...rest] = spans;
  if (!first) return undefined;
  let path = [first, ...index.ancestors(first)];
  for (const span of rest) {
    const line = new Set([span.spanId, ...[...index.ancestors(span)].map((a) => a.spanId)]);
    path = path.filter((candidate) => line.has(candidate.spanId));
  }
  return path[0];
}

/** Many separate lookups missing one namespace (the cache's `cache.miss` events). */
function missStorms(spans: readonly StoredSpan[], index: SpanIndex, threshold: number): Finding[] {
  const misses = spans.flatMap((span) =>
    span.events
      .filter((event) => event.name === 'cache.miss')
      .map((event) => ({
        span,
        namespace: event.attributes['cache.namespace'],
        keys: event.attributes['cache.keys'],
      })),
  );
  const groups = groupBy(misses, (miss) =>
    typeof miss.namespace === 'string' ? `${miss.span.service} ${miss.namespace}` : undefined,
  );
  const found: Finding[] = [];
  for (const group of groups.values()) {
    if (group.length < threshold) continue;
    const holders = [...new Set(group.map((miss) => miss.span))];
    const keys = group.reduce((total, miss) => total + (typeof miss.keys === 'number' ? miss.keys : 1), 0);
    const namespace = String(group[0]?.namespace);
    const where = commonAncestor(holders, index) ?? (holders[0] as StoredSpan);
    found.push({
      kind: 'cache-miss-storm',
      spanId: where.spanId,
      count: group.length,
      label: `${group.length} cache misses on ${group[0]?.span.service}:${namespace} (${keys} keys)`,
      service: group[0]?.span.service ?? where.service,
      totalMs: sum(holders),
      spanIds: holders.map((span) => span.spanId),
      namespace,
    });
  }
  return found;
}

const ANSWER_CALL = /\/(answerCallbackQuery|answerInlineQuery)(\?|$)/;
const isAnswerEvent = (name: string) => name === 'answered' || name.endsWith('.answered');
const isWebhook = (span: StoredSpan) => span.kind === SERVER && /webhook/i.test(urlOf(span) ?? span.name);

/** The span does work someone waits on: a query, a Redis command, a call out. */
const isWork = (span: StoredSpan) =>
  sqlOf(span) !== undefined ||
  span.attributes['db.system'] !== undefined ||
  span.kind === CLIENT ||
  isProcedure(span);

/**
 * In a webhook trace, the work that ran before the answer went out: the answer is the first
 * `*.answered` checkpoint, else the `answerCallbackQuery` call, else the webhook's reply.
 */
function workBeforeAnswer(spans: readonly StoredSpan[], index: SpanIndex): Finding[] {
  const found: Finding[] = [];
  for (const webhook of spans.filter(isWebhook)) {
    const inside = spans.filter((span) => [...index.ancestors(span)].includes(webhook));
    const marks = [webhook, ...inside].flatMap((span) =>
      span.events.filter((event) => isAnswerEvent(event.name)).map((event) => span.startMs + event.offsetMs),
    );
    const answerCall = inside
      .filter((span) => span.kind === CLIENT && ANSWER_CALL.test(urlOf(span) ?? ''))
      .sort(byStart)[0];
    const answeredAt = Math.min(
      ...marks,
      answerCall?.startMs ?? Number.POSITIVE_INFINITY,
      webhook.startMs + webhook.durationMs,
    );
    const answerTree = answerCall
      ? new Set([answerCall, ...inside.filter((span) => [...index.ancestors(span)].includes(answerCall))])
      : new Set();
    const before = inside.filter(
      (span) =>
        isWork(span) &&
        !answerTree.has(span) &&
        span.startMs < answeredAt &&
        span.startMs + span.durationMs <= answeredAt + 0.001,
    );
    // Only the outermost work: a procedure's own queries are part of it.
    const outer = before.filter((span) => ![...index.ancestors(span)].some((up) => before.includes(up)));
    if (outer.length === 0) continue;
    const waitedMs = answeredAt - webhook.startMs;
    found.push({
      kind: 'slow-before-answer',
      spanId: webhook.spanId,
      count: outer.length,
      label: `${outer.length} span${outer.length > 1 ? 's' : ''} ran before the answer (${waitedMs.toFixed(1)} ms waited)`,
      service: webhook.service,
      totalMs: waitedMs,
      spanIds: outer.sort(byStart).map((span) => span.spanId),
    });
  }
  return found;
}

/** Everything the explorer can say is wrong with one trace, worst (most repeats) first. */
export function findFindings(
  spans: readonly StoredSpan[],
  thresholds: FindingThresholds = defaultThresholds,
): Finding[] {
  const index = spanIndex(spans);
  return [
    ...repeatedQueries(spans, index, thresholds.queries),
    ...repeatedCalls(spans, index, thresholds.calls),
    ...missStorms(spans, index, thresholds.cacheMisses),
    ...workBeforeAnswer(spans, index),
  ].sort((a, b) => b.count - a.count);
}
