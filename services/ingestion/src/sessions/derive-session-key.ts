import { createHash, createHmac, scryptSync } from 'node:crypto';

/**
 * Fixed on purpose: the secret is a random key (`openssl rand -hex 32`), not a password, so a
 * per-record salt would buy nothing and would cost a scrypt run (about 100 ms) per record.
 */
const SALT = 'mesh.ingestion.telegram-sessions.v1';

export interface SessionKey {
  /** Stored beside each record, so a record names the key that can open it. */
  id: string;
  key: Buffer;
}

const cache = new Map<string, SessionKey>();

/**
 * The AES-256 key for `secret`: scrypt runs once per process per secret, later calls get the
 * same object from the cache (the old gateway derived it on every instantiation, 96 ms each).
 */
export function deriveSessionKey(secret: string): SessionKey {
  const cacheKey = createHash('sha256').update(secret).digest('hex');
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const key = scryptSync(secret, SALT, 32);
  const id = createHmac('sha256', key).update('key-id').digest('hex').slice(0, 16);
  const derived = { id, key };
  cache.set(cacheKey, derived);
  return derived;
}
