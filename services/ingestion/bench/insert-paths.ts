import type pg from 'pg';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import type { SourceMessage } from '../src/sources/message-source.js';
import { writeMessages } from '../src/sync/write-messages.js';
import { copyIn } from './copy-in.js';
import { copyRows, copySql } from './copy-sync.js';

export interface ChannelRows {
  channelId: bigint;
  messages: SourceMessage[];
}

/** Prisma's bulk path: one createMany({ skipDuplicates }) per channel (Prisma splits it at its parameter limit). */
export async function writeWithCreateMany(
  prisma: PrismaClient,
  batches: readonly ChannelRows[],
): Promise<number> {
  let saved = 0;
  for (const { channelId, messages } of batches) {
    const { count } = await prisma.message.createMany({
      data: messages.map((message) => ({
        channelId,
        messageId: message.id,
        text: message.text,
        telegramDate: message.date,
        source: 'simulated',
        messageType: message.messageType,
        mediaType: message.mediaType,
        metadata: { ...message.metadata },
      })),
      skipDuplicates: true,
    });
    saved += count;
  }
  return saved;
}

/** The service's path: INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING, one statement per channel. */
export async function writeWithUnnest(pool: pg.Pool, batches: readonly ChannelRows[]): Promise<number> {
  let saved = 0;
  for (const { channelId, messages } of batches) {
    saved += await writeMessages({ pool, channelId, source: 'simulated', messages, chunkSize: 10_000 });
  }
  return saved;
}

/** The physical floor: one COPY FROM STDIN per channel (no conflict handling at all). */
export async function writeWithCopy(pool: pg.Pool, batches: readonly ChannelRows[]): Promise<number> {
  const client = await pool.connect();
  try {
    let saved = 0;
    for (const { channelId, messages } of batches)
      saved += await copyIn(client, copySql, copyRows(channelId, messages));
    return saved;
  } finally {
    client.release();
  }
}
