import type { Counter, Histogram } from 'prom-client';

// prom-client hashes and validates a label set on every `inc` / `observe`, a bound child
// (`labels(...)`) included: five of those per call were a fifth of a fast-path call's CPU.
// These children do the first update through prom-client, then keep the series' own entry
// and update it in place, as prom-client's update does (the same sum, count and bucket), until
// the metric is reset and the entry is no longer the one prom-client holds.
// `metric-children.test.ts` compares the exposition text with prom-client's own updates.

interface CounterEntry {
  value: number;
  labels: object;
}
interface HistogramEntry {
  labels: object;
  sum: number;
  count: number;
  bucketValues: Record<number, number>;
}
/** The fields of prom-client's metrics these children read: the series by label hash. */
interface Series<TEntry> {
  hashMap: Record<string, TEntry>;
}

function seriesKey<TEntry extends { labels: object }>(
  hashMap: Record<string, TEntry>,
  labels: object,
): string | undefined {
  for (const [key, entry] of Object.entries(hashMap)) if (entry.labels === labels) return key;
  return undefined;
}

/** `counter.inc(labels)` for one label set, without re-hashing it each time. */
export function counterChild<T extends string>(counter: Counter<T>, labels: Record<T, string>): () => void {
  const series = counter as unknown as Series<CounterEntry>;
  let key: string | undefined;
  let entry: CounterEntry | undefined;
  return () => {
    if (key !== undefined && entry !== undefined && series.hashMap[key] === entry) {
      entry.value += 1;
      return;
    }
    counter.inc(labels);
    key = seriesKey(series.hashMap, labels);
    entry = key === undefined ? undefined : series.hashMap[key];
  };
}

/** `histogram.observe(labels, value)` for one label set, without re-hashing it each time. */
export function histogramChild<T extends string>(
  histogram: Histogram<T>,
  labels: Record<T, string>,
): (value: number) => void {
  const series = histogram as unknown as Series<HistogramEntry> & { upperBounds: number[] };
  const { upperBounds } = series;
  // The bucket's property name, made once: a fractional bound (0.005) as a key is turned into its
  // string on every update, a string-table lookup each time.
  const bucketKeys = upperBounds.map((upper) => String(upper));
  let key: string | undefined;
  let entry: HistogramEntry | undefined;
  return (value) => {
    if (key !== undefined && entry !== undefined && series.hashMap[key] === entry && Number.isFinite(value)) {
      entry.sum += value;
      entry.count += 1;
      const buckets = entry.bucketValues as Record<string, number>;
      for (let index = 0; index < upperBounds.length; index++) {
        if (value <= (upperBounds[index] as number)) {
          const bucket = bucketKeys[index] as string;
          buckets[bucket] = (buckets[bucket] ?? 0) + 1;
          break;
        }
      }
      return;
    }
    histogram.observe(labels, value);
    key = seriesKey(series.hashMap, labels);
    entry = key === undefined ? undefined : series.hashMap[key];
  };
}
