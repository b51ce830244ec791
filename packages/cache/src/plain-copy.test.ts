import { describe, expect, it } from 'vitest';
import { copyPlain, isPlainData } from './plain-copy.js';

describe('plain data copies', () => {
  it('accepts records, lists, BigInt, Date, null and undefined, nested', () => {
    expect(
      isPlainData({ id: 1n, at: new Date(0), list: [{ a: null, b: undefined }], s: 'x', n: 1, t: true }),
    ).toBe(true);
    expect(isPlainData(Object.assign(Object.create(null), { a: 1 }))).toBe(true);
  });

  it('refuses what a spread would not copy faithfully', () => {
    expect(isPlainData(new Map())).toBe(false);
    expect(isPlainData({ inner: new Set([1]) })).toBe(false);
    expect(isPlainData([new (class Point {})()])).toBe(false);
    expect(isPlainData({ f: () => 1 })).toBe(false);
    expect(isPlainData({ s: Symbol('x') })).toBe(false);
  });

  it('copies without sharing any object', () => {
    const value = { id: 7n, at: new Date(5), wallets: [{ currency: 'USDT', updatedAt: new Date(6) }] };
    const copy = copyPlain(value);
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(copy.at).not.toBe(value.at);
    expect(copy.wallets).not.toBe(value.wallets);
    expect(copy.wallets[0]).not.toBe(value.wallets[0]);
    expect(copy.wallets[0]?.updatedAt).not.toBe(value.wallets[0]?.updatedAt);
  });
});
