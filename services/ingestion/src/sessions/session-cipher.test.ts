import { MeshError } from '@mesh/kit';
import { describe, expect, it } from 'vitest';
import { deriveSessionKey } from './derive-session-key.js';
import { createSessionCipher } from './session-cipher.js';

const KEY = `${'a'.repeat(16)}0123456789abcdef0123`;
const OTHER_KEY = 'b'.repeat(40);
const SESSION = '1BAAOMTQ5LjE1NC4xNjcuOTEAUH-example-session-string';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof MeshError ? error.meshCode : 'not a MeshError';
  }
  return undefined;
}

describe('session cipher', () => {
  it('derives a key once per process per secret and hands out the cached one after', () => {
    const first = deriveSessionKey(KEY);
    expect(deriveSessionKey(KEY)).toBe(first);
    expect(deriveSessionKey(OTHER_KEY)).not.toBe(first);
    expect(deriveSessionKey(OTHER_KEY).id).not.toBe(first.id);
  });

  it('round-trips a session with a fresh IV per record and the key id beside it', () => {
    const cipher = createSessionCipher({ key: KEY });
    const one = cipher.seal('default', SESSION);
    const two = cipher.seal('default', SESSION);
    expect(Buffer.from(one.iv).equals(Buffer.from(two.iv))).toBe(false);
    expect(Buffer.from(one.ciphertext).toString('utf8')).not.toContain('example');
    expect(one.keyId).toBe(cipher.keyId);
    expect(cipher.open('default', one)).toBe(SESSION);
  });

  it('refuses a tampered ciphertext, tag or IV, and a record moved to another name', () => {
    const cipher = createSessionCipher({ key: KEY });
    const sealed = cipher.seal('default', SESSION);
    const flip = (bytes: Uint8Array) => {
      const copy = Buffer.from(bytes);
      copy[0] = (copy[0] ?? 0) ^ 1;
      return copy;
    };
    expect(codeOf(() => cipher.open('default', { ...sealed, ciphertext: flip(sealed.ciphertext) }))).toBe(
      'INGEST_SESSION_TAMPERED',
    );
    expect(codeOf(() => cipher.open('default', { ...sealed, authTag: flip(sealed.authTag) }))).toBe(
      'INGEST_SESSION_TAMPERED',
    );
    expect(codeOf(() => cipher.open('default', { ...sealed, iv: flip(sealed.iv) }))).toBe(
      'INGEST_SESSION_TAMPERED',
    );
    expect(codeOf(() => cipher.open('other', sealed))).toBe('INGEST_SESSION_TAMPERED');
  });

  it('opens records of a previous key after rotation, and names an unknown key', () => {
    const old = createSessionCipher({ key: OTHER_KEY }).seal('default', SESSION);
    const rotated = createSessionCipher({ key: KEY, previousKeys: [OTHER_KEY] });
    expect(rotated.open('default', old)).toBe(SESSION);
    expect(rotated.seal('default', SESSION).keyId).toBe(deriveSessionKey(KEY).id);
    expect(codeOf(() => createSessionCipher({ key: KEY }).open('default', old))).toBe(
      'INGEST_SESSION_KEY_UNKNOWN',
    );
  });
});
