import pLimit from 'p-limit';
import type pg from 'pg';
import type { SourceMessage } from '../src/sources/message-source.js';
import { copyField, copyIn } from './copy-in.js';
import type { Workload } from './workload.js';

export const copySql =
  'COPY messages (channel_id, message_id, text, telegram_date, source, message_type, media_type, metadata) FROM STDIN';

/** A channel's rows in COPY's text format. */
export function copyRows(channelId: bigint, messages: readonly SourceMessage[]): Buffer {
  const lines = messages.map((message) =>
    [
      String(channelId),
      String(message.id),
      copyField(message.text),
      message.date.toISOString(),
      'simulated',
      message.messageType,
      copyField(message.mediaType),
      copyField(JSON.stringify(message.metadata)),
    ].join('\t'),
  );
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * The physical reference: the service's shape (last ids in one query, channels under p-limit(3),
 * the same fetches) with each channel's rows written by one COPY instead of INSERT. COPY has no
 * ON CONFLICT, so it only stands for the write cost into an empty table, not for a real sync.
 */
export async function copySync(pool: pg.Pool, { channels, limit, source }: Workload): Promise<number> {
  const { rows } = await pool.query<{ id: string; last: string | null }>(
    `SELECT c.id::text AS id, (SELECT max(m.message_id) FROM messages m WHERE m.channel_id = c.id)::text AS last
     FROM unnest($1::bigint[]) AS c(id)`,
    [channels.map((channel) => String(channel.id))],
  );
  const last = new Map(rows.map((row) => [row.id, BigInt(row.last ?? 0)]));
  const limiter = pLimit(3);
  const counts = await Promise.all(
    channels.map((channel) =>
      limiter(async () => {
        const messages = await source.getMessages(channel, {
          limit,
          minId: last.get(String(channel.id)) ?? 0n,
        });
        if (messages.length === 0) return 0;
        const client = await pool.connect();
        try {
          return await copyIn(client, copySql, copyRows(channel.id, messages));
        } finally {
          client.release();
        }
      }),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
