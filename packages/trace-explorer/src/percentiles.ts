/** The nearest-rank percentile of sorted values (`q` in 0..1); 0 for none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** p50, p90, p99 and max of some durations. */
export function latency(durations: readonly number[]) {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket has none. */
export const histogramBounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] as const;

/** Counts per bucket: `le` is the bucket's upper bound in ms, null for the overflow bucket. */
export function histogram(durations: readonly number[]): Array<{ le: number | null; count: number }> {
  const counts = new Array<number>(histogramBounds.length + 1).fill(0);
  for (const duration of durations) {
    const at = histogramBounds.findIndex((bound) => duration <= bound);
    const bucket = at === -1 ? histogramBounds.length : at;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ le: histogramBounds[i] ?? null, count }));
}
