/**
 * The position after a trade in tradeHistory's order (closed_at DESC, id DESC), opaque to
 * callers: base64url of `<closed_at in microseconds since the epoch>.<id>`. Decoding accepts
 * exactly that shape, so a forged cursor is refused before any SQL and only ever reaches the
 * database as two bound integers.
 */
export interface HistoryCursor {
  closedAtMicros: bigint;
  id: bigint;
}

const SHAPE = /^(\d{1,17})\.(\d{1,19})$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function encodeCursor({ closedAtMicros, id }: HistoryCursor): string {
  return Buffer.from(`${closedAtMicros}.${id}`).toString('base64url');
}

/** The cursor, or null when `raw` is not one this service wrote. */
export function decodeCursor(raw: string): HistoryCursor | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) return null;
  const match = SHAPE.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  if (!match?.[1] || !match[2]) return null;
  const cursor = { closedAtMicros: BigInt(match[1]), id: BigInt(match[2]) };
  return cursor.id > 0n && cursor.id <= MAX_BIGINT ? cursor : null;
}
