import type { Cache } from '@mesh/cache';
import type { RecordOutcome } from '../trades/record-trades.js';
import { type FigureName, figures } from './figure-keys.js';

/**
 * The figures a write changed. Every trade moves the dashboard, volumes and asset figures;
 * only closed trades move revenue and P&L; only a user's earliest trade moves user growth.
 */
export function changedFigures(outcome: RecordOutcome): FigureName[] {
  if (outcome.recorded === 0) return [];
  const changed: FigureName[] = ['dashboardMetrics', 'topUsersByVolume', 'assetPerformance'];
  if (outcome.closed > 0) changed.push('revenue', 'topUsersByPnl');
  if (outcome.firstTrades > 0) changed.push('userGrowth');
  return changed;
}

/**
 * Invalidates the figures' namespaces in the shared cache. The cache bumps each namespace's
 * epoch, so a load that read the database before the write cannot put its answer back, and
 * every replica's next read misses. Resolves once Redis has it (or owes it, when down).
 */
export async function invalidateFigures(cache: Cache, names: readonly FigureName[]): Promise<void> {
  await Promise.all(names.map((name) => cache.invalidateNamespace(figures[name].namespace)));
}
