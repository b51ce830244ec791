import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Builds a constant-time bearer-token check. Both sides are hashed first so the
 * comparison takes the same time whatever the presented token's length.
 */
export function createTokenVerifier(expected: string): (presented: string | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => {
    if (presented === undefined) return false;
    return timingSafeEqual(digest(presented), expectedDigest);
  };
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.startsWith('Bearer ')) return undefined;
  return value.slice('Bearer '.length).trim();
}
