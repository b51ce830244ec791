import type { Database } from '@mesh/db';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import type { SourceChannel } from '../src/sources/message-source.js';
import { simulatedMessage } from '../src/sources/simulated-source.js';
import { type ChannelRows, writeWithCopy, writeWithCreateMany, writeWithUnnest } from './insert-paths.js';
import type { SideRun } from './workload.js';

export interface InsertPathRuns {
  createMany: SideRun[];
  unnest: SideRun[];
  copy: SideRun[];
  rows: number;
}

export interface MeasureInsertPathsOptions {
  db: Database<PrismaClient>;
  channels: readonly SourceChannel[];
  limit: number;
  runs: number;
  measure(work: () => Promise<number>): Promise<SideRun>;
}

/** Only the write: the same rows, prepared beforehand, through each path, per channel, into an empty table. */
export async function measureInsertPaths({ db, channels, limit, runs, measure }: MeasureInsertPathsOptions) {
  const batches: ChannelRows[] = channels.map((channel) => ({
    channelId: channel.id,
    messages: Array.from({ length: limit }, (_, index) => simulatedMessage(channel, BigInt(index + 1))),
  }));
  const result: InsertPathRuns = { createMany: [], unnest: [], copy: [], rows: channels.length * limit };
  const paths = {
    createMany: () => writeWithCreateMany(db.prisma, batches),
    unnest: () => writeWithUnnest(db.pool, batches),
    copy: () => writeWithCopy(db.pool, batches),
  };
  for (let round = 1; round <= runs; round++) {
    const names = Object.keys(paths) as Array<keyof typeof paths>;
    for (const name of round % 2 === 1 ? names : [...names].reverse())
      result[name].push(await measure(paths[name]));
  }
  return result;
}
