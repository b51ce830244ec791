import type pg from 'pg';
import type { MediaType, MessageMetadata, MessageType } from '../sources/message-source.js';
import { decodeCursor, encodeCursor } from './message-cursor.js';

const COLUMNS = `message_id::text, text, telegram_date, source, message_type, media_type, status, metadata, created_at`;

/**
 * Newest first, on the primary key (channel_id, message_id): each page is an index range scan
 * that starts below the cursor, so page 1,000 costs what page 1 does (OFFSET would read and
 * drop every row before it). Two statements, not `($2 IS NULL OR message_id < $2)`, which would
 * turn the cursor into a filter over the whole channel instead of an index bound.
 */
export const FIRST_PAGE_SQL = `SELECT ${COLUMNS} FROM messages WHERE channel_id = $1 ORDER BY message_id DESC LIMIT $2`;
export const NEXT_PAGE_SQL = `SELECT ${COLUMNS} FROM messages WHERE channel_id = $1 AND message_id < $3 ORDER BY message_id DESC LIMIT $2`;

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
