import type pg from 'pg';
import type { MediaType, MessageMetadata, MessageType } from '../sources/message-source.js';
import { decodeCursor, encodeCursor } from './message-cursor.js';

// Qualified with `m.` in ORDER BY and WHERE: a bare `message_id` there would name the text cast
// of the select list, which sorts '99' after '999' and cannot use the index.
const COLUMNS = `m.message_id::text AS message_id, m.text, m.telegram_date, m.source, m.message_type, m.media_type,
  m.status, m.metadata, m.created_at`;

/**
 * Newest first, on the primary key (channel_id, message_id): each page is an index range scan
 * that starts below the cursor, so page 1,000 costs what page 1 does (OFFSET would read and
 * drop every row before it). Two statements, not `($2 IS NULL OR message_id < $2)`, which would
 * turn the cursor into a filter over the whole channel instead of an index bound.
 */
export const FIRST_PAGE_SQL = `SELECT ${COLUMNS} FROM messages m WHERE m.channel_id = $1 ORDER BY m.message_id DESC LIMIT $2`;
export const NEXT_PAGE_SQL = `SELECT ${COLUMNS} FROM messages m WHERE m.channel_id = $1 AND m.message_id < $3 ORDER BY m.message_id DESC LIMIT $2`;

interface MessageRow {
  message_id: string;
  text: string;
  telegram_date: Date;
  source: string;
  message_type: MessageType;
  media_type: MediaType | null;
  status: string;
  metadata: MessageMetadata;
  created_at: Date;
}

export interface StoredMessage {
  channelId: bigint;
  messageId: bigint;
  text: string;
  telegramDate: Date;
  source: string;
  messageType: MessageType;
  mediaType: MediaType | null;
  status: string;
  metadata: MessageMetadata;
  createdAt: Date;
}

export interface MessagePage {
  messages: StoredMessage[];
  /** Pass it back for the next page; null on the last one. */
  nextCursor: string | null;
}

/** One page of a channel's messages. 1 query (one row more than asked, to know if a next page exists). */
export async function listMessages(
  pool: pg.Pool,
  { channelId, cursor, limit }: { channelId: bigint; cursor?: string; limit: number },
): Promise<MessagePage> {
  const below = cursor === undefined ? undefined : decodeCursor(cursor, channelId);
  const { rows } =
    below === undefined
      ? await pool.query<MessageRow>(FIRST_PAGE_SQL, [channelId.toString(), limit + 1])
      : await pool.query<MessageRow>(NEXT_PAGE_SQL, [channelId.toString(), limit + 1, below.toString()]);
  const messages = rows.slice(0, limit).map((row) => ({
    channelId,
    messageId: BigInt(row.message_id),
    text: row.text,
    telegramDate: row.telegram_date,
    source: row.source,
    messageType: row.message_type,
    mediaType: row.media_type,
    status: row.status,
    metadata: row.metadata,
    createdAt: row.created_at,
  }));
  const last = messages.at(-1);
  return {
    messages,
    nextCursor: rows.length > limit && last ? encodeCursor(channelId, last.messageId) : null,
  };
}
