import { describe, expect, it } from 'vitest';
import { bearerToken, createTokenVerifier } from './verify-token.js';

const TOKEN = 'service-token-0123456789';

describe('createTokenVerifier', () => {
  const verify = createTokenVerifier(TOKEN);

  it('accepts the token, again and again', () => {
    expect(verify(TOKEN)).toBe(true);
    expect(verify(TOKEN)).toBe(true);
  });

  it('refuses a token that differs in one character, a prefix, a longer one and none', () => {
    expect(verify(`${TOKEN.slice(0, -1)}X`)).toBe(false);
    expect(verify(TOKEN.slice(0, -1))).toBe(false);
    expect(verify(`${TOKEN}0`)).toBe(false);
    expect(verify(`${TOKEN}\u0000`)).toBe(false);
    expect(verify('')).toBe(false);
    expect(verify(undefined)).toBe(false);
  });

  it('refuses a wrong guess between two right ones (nothing is left over from the last check)', () => {
    expect(verify(TOKEN)).toBe(true);
    expect(verify(TOKEN.slice(0, 4))).toBe(false);
    expect(verify(TOKEN)).toBe(true);
  });

  it('compares bytes, not characters, for a token outside ASCII', () => {
    const unicode = createTokenVerifier('jeton-é-0123456789abcd');
    expect(unicode('jeton-é-0123456789abcd')).toBe(true);
    expect(unicode('jeton-e-0123456789abcd')).toBe(false);
    expect(unicode('jeton-é-0123456789abc')).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header and nothing else', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`Basic ${TOKEN}`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
