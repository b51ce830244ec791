import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, context, createContextKey, type Span, trace } from '@opentelemetry/api';
import { CallContext } from './call-context.js';

/**
 * What one unit of work (a procedure call, a test block) cost: database round trips
 * and cache traffic. `@mesh/db` and `@mesh/cache` record into the active scope; the
 * kit copies the totals onto the procedure span and into metrics.
 */
export interface RequestStats {
  dbQueries: number;
  dbMs: number;
  cacheHits: number;
  cacheMisses: number;
  redisRoundTrips: number;
}

interface Scope {
  stats: RequestStats;
  parent: Scope | undefined;
}

// Where scopes live. With telemetry started, in the OpenTelemetry context, so a traced call
// enters its span and its scope in one AsyncLocalStorage frame rather than two (each `run`
// copies the frame); otherwise in a storage of their own, as the API's context then carries
// nothing across an await.
const STATS_KEY = createContextKey('mesh.requestStats');
const storage = new AsyncLocalStorage<Scope>();
let inContext = false;

/**
 * Whether scopes go into the OpenTelemetry context: `startTelemetry` turns this on once its
 * context manager carries the context, and off at shutdown.
 */
export function carryStatsInContext(on: boolean): void {
  inContext = on;
}

function emptyStats(): RequestStats {
  return { dbQueries: 0, dbMs: 0, cacheHits: 0, cacheMisses: 0, redisRoundTrips: 0 };
}

/** The innermost scope: in the context when scopes go there, else (or from before) the storage's. */
function currentScope(): Scope | undefined {
  if (!inContext) return storage.getStore();
  return (context.active().getValue(STATS_KEY) as Scope | undefined) ?? storage.getStore();
}

/**
 * A native promise (an async function's) is already running in the scope. Prisma's promises
 * are lazy and run their query when awaited, so anything else is awaited inside the scope.
 */
function started<T>(fn: () => Promise<T>): Promise<T> {
  const pending = fn();
  return pending instanceof Promise ? pending : (async () => await pending)();
}

/**
 * Runs `fn` in a fresh stats scope nested in the current one: what is recorded inside
 * counts here and in every enclosing scope, so a test's budget sees a procedure's queries.
 */
export async function withRequestStats<T>(fn: () => Promise<T>): Promise<{ result: T; stats: RequestStats }> {
  const scope: Scope = { stats: emptyStats(), parent: currentScope() };
  const result = await (inContext
    ? context.with(context.active().setValue(STATS_KEY, scope), started<T>, undefined, fn)
    : storage.run(scope, started<T>, fn));
  return { result, stats: scope.stats };
}

/**
 * Runs `fn` with `span` active over `parent` and in a fresh stats scope, as
 * `context.with(trace.setSpan(parent, span), () => withRequestStats(fn))` does: a procedure
 * call's span and scope, entered at once.
 */
export async function withSpanAndStats<T>(
  parent: Context,
  span: Span,
  fn: () => Promise<T>,
): Promise<{ result: T; stats: RequestStats }> {
  if (!inContext) return context.with(trace.setSpan(parent, span), withRequestStats<T>, undefined, fn);
  const scope: Scope = { stats: emptyStats(), parent: currentScope() };
  const result = await context.with(
    new CallContext(parent, span, STATS_KEY, scope),
    started<T>,
    undefined,
    fn,
  );
  return { result, stats: scope.stats };
}

/** The stats of the innermost active scope, or undefined outside any. */
export function currentRequestStats(): RequestStats | undefined {
  return currentScope()?.stats;
}

/** Adds to a counter of the active scope and all its ancestors; a no-op outside any scope. */
export function recordStat(key: keyof RequestStats, amount = 1): void {
  for (let scope = currentScope(); scope; scope = scope.parent) {
    scope.stats[key] += amount;
  }
}
