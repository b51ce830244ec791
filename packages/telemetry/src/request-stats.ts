import { AsyncLocalStorage } from 'node:async_hooks';

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

const storage = new AsyncLocalStorage<Scope>();

function emptyStats(): RequestStats {
  return { dbQueries: 0, dbMs: 0, cacheHits: 0, cacheMisses: 0, redisRoundTrips: 0 };
}

/**
 * Runs `fn` in a fresh stats scope nested in the current one: what is recorded inside
 * counts here and in every enclosing scope, so a test's budget sees a procedure's queries.
 */
export async function withRequestStats<T>(fn: () => Promise<T>): Promise<{ result: T; stats: RequestStats }> {
  const scope: Scope = { stats: emptyStats(), parent: storage.getStore() };
  const result = await storage.run(scope, () => {
    const pending = fn();
    // A native promise (an async function's) is already running in the scope. Prisma's promises
    // are lazy and run their query when awaited, so anything else is awaited inside the scope.
    return pending instanceof Promise ? pending : (async () => await pending)();
  });
  return { result, stats: scope.stats };
}

/** The stats of the innermost active scope, or undefined outside any. */
export function currentRequestStats(): RequestStats | undefined {
  return storage.getStore()?.stats;
}

/** Adds to a counter of the active scope and all its ancestors; a no-op outside any scope. */
export function recordStat(key: keyof RequestStats, amount = 1): void {
  for (let scope = storage.getStore(); scope; scope = scope.parent) {
    scope.stats[key] += amount;
  }
}
