import type pg from 'pg';
import type { Workload } from './workload.js';

/**
 * The old gateway's "before", faithfully naive: channels one after another; per channel its last id by
 * its own query, the fetch, then one INSERT per message.
 */
export async function gatewayBefore(pool: pg.Pool, { channels, limit, source }: Workload): Promise<number> {
  let saved = 0;
  for (const channel of channels) {
    const { rows } = await pool.query<{ max: string | null }>(
      'SELECT MAX(message_id)::text AS max FROM messages WHERE channel_id = $1',
      [String(channel.id)],
    );
    const minId = BigInt(rows[0]?.max ?? 0);
    const messages = await source.getMessages(channel, { limit, minId });
    for (const message of messages) {
      const result = await pool.query(
        `INSERT INTO messages (channel_id, message_id, text, telegram_date, source, message_type, media_type, status, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (channel_id, message_id) DO NOTHING`,
        [
          String(channel.id),
          String(message.id),
          message.text,
          message.date,
          'mtproto',
          'channel_post',
          message.mediaType,
          'received',
          JSON.stringify(message.metadata),
        ],
      );
      saved += result.rowCount ?? 0;
    }
  }
  return saved;
}
