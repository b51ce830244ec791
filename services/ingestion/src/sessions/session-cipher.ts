import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { errors } from '../errors.js';
import { deriveSessionKey, type SessionKey } from './derive-session-key.js';

/** An encrypted session as stored: which key, the IV, GCM's tag, and the ciphertext. */
export interface SealedSession {
  keyId: string;
  iv: Uint8Array;
  authTag: Uint8Array;
  ciphertext: Uint8Array;
}

export interface SessionCipher {
  /** The id of the key new records are sealed with. */
  readonly keyId: string;
  seal(name: string, session: string): SealedSession;
  /** Throws INGEST_SESSION_KEY_UNKNOWN or INGEST_SESSION_TAMPERED; never returns garbage. */
  open(name: string, sealed: SealedSession): string;
}

export interface SessionCipherOptions {
  /** The current key (at least 32 characters; env.ts refuses shorter ones at start-up). */
  key: string;
  /** Older keys, still accepted for opening, so records can be re-sealed at leisure. */
  previousKeys?: readonly string[];
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

/**
 * AES-256-GCM with a random IV per record. The session's name is authenticated data, so a
 * ciphertext moved onto another record's name fails its check like any other tampering.
 */
export function createSessionCipher({ key, previousKeys = [] }: SessionCipherOptions): SessionCipher {
  const current = deriveSessionKey(key);
  const keys = new Map<string, SessionKey>(
    [current, ...previousKeys.map(deriveSessionKey)].map((k) => [k.id, k]),
  );
  return {
    keyId: current.id,
    seal(name, session) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, current.key, iv);
      cipher.setAAD(Buffer.from(name, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(session, 'utf8'), cipher.final()]);
      return { keyId: current.id, iv, authTag: cipher.getAuthTag(), ciphertext };
    },
    open(name, sealed) {
      const sessionKey = keys.get(sealed.keyId);
      if (!sessionKey)
        throw errors.create('INGEST_SESSION_KEY_UNKNOWN', { detail: `key id ${sealed.keyId}` });
      try {
        const decipher = createDecipheriv(ALGORITHM, sessionKey.key, sealed.iv);
        decipher.setAAD(Buffer.from(name, 'utf8'));
        decipher.setAuthTag(sealed.authTag);
        return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
      } catch (error) {
        throw errors.create('INGEST_SESSION_TAMPERED', { detail: name, cause: error });
      }
    },
  };
}
