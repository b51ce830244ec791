import { describe, expect, it } from 'vitest';
import { copierOf, copyPlain, isPlainData } from './plain-copy.js';

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

  it('copies by shape without sharing any object: records, their nested records, lists and dates', () => {
    const value = {
      id: 7n,
      name: 'x',
      gender: null,
      at: new Date(5),
      profile: { since: new Date(1), labels: ['a'] },
      wallets: [{ currency: 'USDT', updatedAt: new Date(6) }],
    };
    const copy = copierOf(value)(value) as typeof value;
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(copy.at).not.toBe(value.at);
    expect(copy.profile).not.toBe(value.profile);
    expect(copy.profile.since).not.toBe(value.profile.since);
    expect(copy.profile.labels).not.toBe(value.profile.labels);
    expect(copy.wallets).not.toBe(value.wallets);
    expect(copy.wallets[0]).not.toBe(value.wallets[0]);
    expect(copy.wallets[0]?.updatedAt).not.toBe(value.wallets[0]?.updatedAt);
    const date = new Date(3);
    expect(copierOf(date)(date)).not.toBe(date);
    expect(copierOf(date)(date)).toEqual(date);
    expect(copierOf(5n)(5n)).toBe(5n);
  });
});
