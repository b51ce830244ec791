import { median, type SuiteCase } from '@mesh/bench';
import type { IngestBenchEnv } from './env.js';
import type { InsertPathRuns } from './measure-insert-paths.js';
import type { SideRun } from './workload.js';

/** Every side of one size and latency. */
export interface Measured {
  channels: number;
  limit: number;
  latencyMs: number;
  runs: Record<'before' | 'after' | 'service' | 'copy', SideRun[]>;
}

/** One comparison, as the bench runner takes it. */
export type IngestCase = SuiteCase;

const round = (value: number) => Math.round(value);
const rate = (runs: readonly SideRun[], rows: number) =>
  round(rows / (median(runs.map((run) => run.ms)) / 1000));
const wrong = (runs: readonly SideRun[], rows: number) => runs.filter((run) => run.saved !== rows).length;

const BASELINES = {
  before:
    "the old gateway's before: channels in sequence, last id by a query per channel, one INSERT per message",
  after:
    "the old gateway's after: last ids in one grouped query, p-limit(3), a lock per channel (try/release on a pinned connection), " +
    'BEGIN + multi-row VALUES chunks of 500 (9 parameters a row, RETURNING) + COMMIT per channel',
  copy: 'the physical reference: the same fetches under p-limit(3), each channel written by one COPY FROM STDIN (no ON CONFLICT)',
} as const;

function pair(
  name: string,
  baseline: readonly SideRun[],
  value: readonly SideRun[],
  rows: number,
  notes: string,
): IngestCase {
  return {
    name,
    metric: 'ms',
    better: 'lower',
    baselineRuns: baseline.map((run) => Math.round(run.ms * 10) / 10),
    valueRuns: value.map((run) => Math.round(run.ms * 10) / 10),
    errors: wrong(baseline, rows) + wrong(value, rows),
    notes,
    extra: {
      rows,
      messagesPerSecond: { baseline: rate(baseline, rows), value: rate(value, rows) },
      queriesPerSync: {
        baseline: median(baseline.map((run) => run.queries)),
        value: median(value.map((run) => run.queries)),
      },
    },
  };
}

/** Service against each baseline, per size and latency. */
export function syncCases(measured: readonly Measured[], env: IngestBenchEnv): IngestCase[] {
  return measured.flatMap(({ channels, limit, latencyMs, runs }) => {
    const rows = channels * limit;
    const size = `${channels}x${limit.toLocaleString('en-US')}`;
    const common =
      `service: syncMessages through the in-process caller (concurrency 3, chunks of 5,000, UNNEST, session locks), ` +
      `simulated source with ${latencyMs} ms per getMessages call, empty table each run, ` +
      `${env.runs} runs per side interleaved (order alternating)`;
    // BENCH_INGEST_QUICK=1 leaves out the old gateway's before at 50x2,000 with latency.
    const sides = (['before', 'after', 'copy'] as const).filter((side) => runs[side].length > 0);
    return sides.map((side) =>
      pair(
        `sync ${size}, ${latencyMs} ms/call: service vs ${side === 'copy' ? 'COPY' : `old ${side}`}`,
        runs[side],
        runs.service,
        rows,
        `${common}; baseline: ${BASELINES[side]}` +
          (side === 'before' && runs.before.length < env.runs
            ? ` (${runs.before.length} run: 1 INSERT a row)`
            : ''),
      ),
    );
  });
}

/** The write alone, the measurement behind keeping UNNEST over createMany. */
export function writeCases(writes: InsertPathRuns): IngestCase[] {
  const channels = writes.rows / 2000;
  const notes = `no fetch: ${channels} channels x 2,000 prepared rows into an empty table, one statement per channel, sequentially`;
  return [
    pair(
      `insert ${channels}x2,000 rows: UNNEST vs createMany`,
      writes.createMany,
      writes.unnest,
      writes.rows,
      `${notes}; baseline: Prisma createMany({ skipDuplicates }); value: INSERT ... SELECT FROM unnest ... ON CONFLICT DO NOTHING`,
    ),
    pair(
      `insert ${channels}x2,000 rows: UNNEST vs COPY`,
      writes.copy,
      writes.unnest,
      writes.rows,
      `${notes}; baseline: COPY FROM STDIN (text format, no conflict handling); value: UNNEST as above`,
    ),
  ];
}
