import type { MessageSource, SourceChannel } from '../src/sources/message-source.js';

/** One measured sync: which channels, how many posts each, from which source. */
export interface Workload {
  channels: SourceChannel[];
  limit: number;
  source: MessageSource;
}

/** What one run of one side cost. */
export interface SideRun {
  ms: number;
  queries: number;
  /** Messages the run stored; checked against channels x limit. */
  saved: number;
}

/** `n` bench channels (Bot API style ids). */
export function benchChannels(n: number): SourceChannel[] {
  return Array.from({ length: n }, (_, index) => ({
    id: -1_007_000_000_000n - BigInt(index + 1),
    username: `bench_${index + 1}`,
  }));
}
