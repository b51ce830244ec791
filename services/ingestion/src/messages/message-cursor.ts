import { errors } from '../errors.js';

const PREFIX = 'm1';

/** An opaque page cursor: the channel and the last message id of the page, base64url. */
export function encodeCursor(channelId: bigint, messageId: bigint): string {
  return Buffer.from(`${PREFIX}:${channelId}:${messageId}`, 'utf8').toString('base64url');
}

/** The message id to continue below; INGEST_CURSOR_INVALID for anything listMessages did not hand out for this channel. */
export function decodeCursor(cursor: string, channelId: bigint): bigint {
  const match = /^m1:(-?\d{1,20}):(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2] || BigInt(match[1]) !== channelId)
    throw errors.create('INGEST_CURSOR_INVALID');
  return BigInt(match[2]);
}
