import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedSource } from '../sources/simulated-source.js';
import { type IngestionHarness, startIngestion, testChannels } from '../testing/start-ingestion.js';
import { FIRST_PAGE_SQL, NEXT_PAGE_SQL } from './list-messages.js';

const channels = testChannels(3);
const [first, second] = channels as [(typeof channels)[number], (typeof channels)[number]];
let ingestion: IngestionHarness;

beforeAll(async () => {
  ingestion = await startIngestion({ source: createSimulatedSource({ messagesPerChannel: 2000 }) });
  await ingestion.caller.registerChannels({ channels });
  await ingestion.caller.syncMessages({ limit: 2000 });
  await ingestion.sql('ANALYZE ingestion.messages');
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
});

describe('listMessages', () => {
  it('pages a channel newest first with an opaque cursor, one query a page, until the last page', async () => {
    const seen: bigint[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { result } = await expectQueryBudget(
        () => ingestion.caller.listMessages({ channelId: first.id, cursor, limit: 100 }),
        1,
      );
      seen.push(...result.messages.map((message) => message.messageId));
      cursor = result.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(20);
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, index) => BigInt(2000 - index)));
    const page = await ingestion.sdk.client.listMessages.query({ channelId: first.id });
    expect(page.messages).toHaveLength(50);
    expect(page.messages[0]).toMatchObject({ channelId: first.id, messageId: 2000n, source: 'simulated' });
    expect(page.messages[0]?.telegramDate).toBeInstanceOf(Date);
  });

  it('reads each page with a range scan on the primary key, never a sort or an offset', async () => {
    const plan = async (sql: string, values: unknown[]) =>
      (await ingestion.sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    const firstPage = await plan(FIRST_PAGE_SQL, [String(first.id), 51]);
    const nextPage = await plan(NEXT_PAGE_SQL, [String(first.id), 51, '1000']);
    for (const text of [firstPage, nextPage]) {
      expect(text).toMatch(/Index Scan Backward using messages_pkey/);
      expect(text).not.toMatch(/Sort|Seq Scan/);
    }
    expect(nextPage).toMatch(/Index Cond: .*message_id < /);
    expect(`${FIRST_PAGE_SQL}${NEXT_PAGE_SQL}`).not.toMatch(/OFFSET/i);
  });

  it("refuses a limit outside 1-100 and a cursor that is not this channel's, with typed errors", async () => {
    expect(
      await badRequestPaths(ingestion.sdk.client.listMessages.query({ channelId: first.id, limit: 0 })),
    ).toEqual(['limit']);
    expect(
      await badRequestPaths(ingestion.sdk.client.listMessages.query({ channelId: first.id, limit: 101 })),
    ).toEqual(['limit']);
    const { nextCursor } = await ingestion.caller.listMessages({ channelId: first.id, limit: 1 });
    for (const cursor of ['garbage', nextCursor ?? '']) {
      const target = cursor === 'garbage' ? first.id : second.id;
      expect(await callError(ingestion.sdk.client.listMessages.query({ channelId: target, cursor }))).toEqual(
        {
          code: 'BAD_REQUEST',
          meshCode: 'INGEST_CURSOR_INVALID',
        },
      );
    }
  });
});
