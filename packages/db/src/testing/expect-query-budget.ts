import { withRequestStats } from '@mesh/telemetry';

/**
 * Runs `fn` in its own request-stats scope and fails when it made more than `max`
 * database round trips: `await expectQueryBudget(() => caller.getUsers({ ids }), 1)`.
 */
export async function expectQueryBudget<T>(
  fn: () => Promise<T>,
  max: number,
): Promise<{ result: T; queries: number }> {
  // Wrapped so a lazy thenable (a PrismaPromise) is started inside the scope, not after it.
  const { result, stats } = await withRequestStats(async () => fn());
  if (stats.dbQueries > max) throw new Error(`expected at most ${max} queries, used ${stats.dbQueries}`);
  return { result, queries: stats.dbQueries };
}
