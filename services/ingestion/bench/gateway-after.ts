import pLimit from 'p-limit';
import type pg from 'pg';
import type { SourceMessage } from '../src/sources/message-source.js';
import type { Workload } from './workload.js';

const CHUNK = 500;
const COLUMNS = 9;

/** The old gateway's saveMessages: BEGIN, multi-row VALUES chunks of 500 (9 parameters a row) with RETURNING, COMMIT. */
async function saveMessages(
  pool: pg.Pool,
  channelId: bigint,
  messages: readonly SourceMessage[],
): Promise<number> {
  if (messages.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    let saved = 0;
    for (let start = 0; start < messages.length; start += CHUNK) {
      const chunk = messages.slice(start, start + CHUNK);
      const values = chunk
        .map(
          (_, row) =>
            `(${Array.from({ length: COLUMNS }, (_, col) => `$${row * COLUMNS + col + 1}`).join(', ')})`,
        )
        .join(', ');
      const params = chunk.flatMap((message) => [
        String(channelId),
        String(message.id),
        message.text,
        message.date,
        'mtproto',
        'channel_post',
        message.mediaType,
        'received',
        JSON.stringify(message.metadata),
      ]);
      const result = await client.query(
        `INSERT INTO messages (channel_id, message_id, text, telegram_date, source, message_type, media_type, status, metadata)
         VALUES ${values} ON CONFLICT (channel_id, message_id) DO NOTHING RETURNING message_id`,
        params,
      );
      saved += result.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return saved;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The old gateway's "after": last ids in one grouped query, channels under p-limit(3), a lock per
 * channel (try-acquire and release, done right here: on one pinned connection), VALUES chunks.
 */
export async function gatewayAfter(pool: pg.Pool, { channels, limit, source }: Workload): Promise<number> {
  const { rows } = await pool.query<{ channel_id: string; last: string }>(
    'SELECT channel_id::text, MAX(message_id)::text AS last FROM messages WHERE channel_id = ANY($1::bigint[]) GROUP BY channel_id',
    [channels.map((channel) => String(channel.id))],
  );
  const last = new Map(rows.map((row) => [row.channel_id, BigInt(row.last)]));
  const limiter = pLimit(3);
  const saved = await Promise.all(
    channels.map((channel) =>
      limiter(async () => {
        const lock = await pool.connect();
        try {
          const { rows: locked } = await lock.query<{ ok: boolean }>(
            'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
            [`sync:channel:${channel.id}`],
          );
          if (!locked[0]?.ok) return 0;
          try {
            const minId = last.get(String(channel.id)) ?? 0n;
            const messages = await source.getMessages(channel, { limit, minId });
            return await saveMessages(pool, channel.id, messages);
          } finally {
            await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`sync:channel:${channel.id}`]);
          }
        } finally {
          lock.release();
        }
      }),
    ),
  );
  return saved.reduce((sum, count) => sum + count, 0);
}
