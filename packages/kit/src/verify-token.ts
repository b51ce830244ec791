import { timingSafeEqual } from 'node:crypto';

/**
 * Builds a constant-time bearer-token check. The presented token is copied into a buffer of
 * the expected token's length (cut short or padded with zeros) and compared with
 * `timingSafeEqual`, then its own length is checked: the time taken depends on the expected
 * token's length and the presented one's, never on how much of the secret a guess got right.
 * (It used to hash both sides with SHA-256 for the same effect; hashing the presented token
 * was most of what the check cost a call.)
 */
export function createTokenVerifier(expected: string): (presented: string | undefined) => boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  // One scratch buffer is safe: the check is synchronous, so no two calls share it at once.
  const presentedBytes = Buffer.alloc(expectedBytes.length);
  return (presented) => {
    if (presented === undefined) return false;
    presentedBytes.fill(0);
    presentedBytes.write(presented, 'utf8');
    const sameBytes = timingSafeEqual(presentedBytes, expectedBytes);
    return Buffer.byteLength(presented, 'utf8') === expectedBytes.length && sameBytes;
  };
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.startsWith('Bearer ')) return undefined;
  return value.slice('Bearer '.length).trim();
}
