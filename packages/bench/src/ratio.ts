/**
 * How many times better than the baseline `value` is (bigger is better): value/baseline
 * for a higher-is-better metric such as throughput, baseline/value for latency. `null`
 * when a zero or missing figure makes it meaningless.
 */
export function ratioOf(better: 'higher' | 'lower', baseline: number, value: number): number | null {
  const ratio = better === 'higher' ? value / baseline : baseline / value;
  return Number.isFinite(ratio) && ratio > 0 ? ratio : null;
}
