import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase, expectQueryBudget, type TestDatabase } from '@mesh/db/testing';
import { countRows } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_SCHEMA } from '../env.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { migrations } from '../migrations.js';
import { simulatedMessage } from '../sources/simulated-source.js';
import { writeMessages } from './write-messages.js';

const channel = { id: -1001000000777n, username: 'write_test' };
const posts = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => simulatedMessage(channel, BigInt(from + index)));

let database: TestDatabase;
let db: ReturnType<typeof createDatabase<PrismaClient>>;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [migrations] });
  db = createDatabase({ PrismaClient, schema: DB_SCHEMA, env: readDbEnv({ DATABASE_URL: database.url }) });
  await db.prisma.channel.create({
    data: { id: channel.id, username: channel.username, title: 'Write test' },
  });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('writeMessages', () => {
  it('writes one chunk in one statement and saves 0 when the same messages come again', async () => {
    const messages = posts(1, 300);
    const first = await expectQueryBudget(
      () =>
        writeMessages({
          pool: db.pool,
          channelId: channel.id,
          source: 'simulated',
          messages,
          chunkSize: 500,
        }),
      1,
    );
    expect(first.result).toBe(300);
    const again = await writeMessages({
      pool: db.pool,
      channelId: channel.id,
      source: 'simulated',
      messages,
      chunkSize: 500,
    });
    expect(again).toBe(0);
    expect(await countRows(database.url, 'ingestion.messages')).toBe(300);
    const stored = await db.prisma.message.findUnique({
      where: { channelId_messageId: { channelId: channel.id, messageId: 7n } },
    });
    const expected = messages[6];
    expect(stored).toMatchObject({
      text: expected?.text,
      telegramDate: expected?.date,
      source: 'simulated',
      messageType: 'channel_post',
      mediaType: expected?.mediaType,
      status: 'received',
      metadata: expected?.metadata,
    });
  });

  it('writes several chunks in one transaction: BEGIN, a statement per chunk, COMMIT', async () => {
    const { result, queries } = await expectQueryBudget(
      () =>
        writeMessages({
          pool: db.pool,
          channelId: channel.id,
          source: 'simulated',
          messages: posts(251, 700),
          chunkSize: 100,
        }),
      7,
    );
    expect(queries).toBe(7);
    expect(result).toBe(400);
    expect(await countRows(database.url, 'ingestion.messages')).toBe(700);
  });

  it("keeps none of a channel's chunks when a later chunk fails", async () => {
    const messages = posts(1001, 1250);
    // An invalid date fails while the third chunk is prepared, after two chunks went in.
    const broken = messages.map((message, index) =>
      index === 220 ? { ...message, date: new Date(Number.NaN) } : message,
    );
    const chunks: number[] = [];
    await expect(
      writeMessages({
        pool: db.pool,
        channelId: channel.id,
        source: 'simulated',
        messages: broken,
        chunkSize: 100,
        onChunk: (written) => chunks.push(written),
      }),
    ).rejects.toThrow(RangeError);
    expect(chunks).toEqual([100, 200]);
    expect(await countRows(database.url, 'ingestion.messages')).toBe(700);
  });

  it('stores text and metadata that hold NUL characters without them', async () => {
    const [message] = posts(2001, 2001);
    if (!message) throw new Error('no message');
    const nul = String.fromCharCode(0);
    const saved = await writeMessages({
      pool: db.pool,
      channelId: channel.id,
      source: 'simulated',
      messages: [{ ...message, text: `a${nul}b`, metadata: { isForwarded: false, postAuthor: `x${nul}y` } }],
      chunkSize: 100,
    });
    expect(saved).toBe(1);
    const stored = await db.prisma.message.findUnique({
      where: { channelId_messageId: { channelId: channel.id, messageId: 2001n } },
    });
    expect(stored?.text).toBe('ab');
    expect(stored?.metadata).toEqual({ isForwarded: false, postAuthor: 'xy' });
  });
});
