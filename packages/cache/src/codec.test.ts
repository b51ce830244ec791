import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { deserialise, serialise } from './codec.js';

const user = {
  id: 9_007_199_254_740_993n,
  name: 'Ada',
  gender: null,
  status: 'active',
  active: true,
  score: 1.5,
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
};

const values: unknown[] = [
  user,
  { a: 1, b: 'x' },
  [
    { currency: 'USDT', balance: '10.5', updatedAt: new Date(0) },
    { currency: 'TON', balance: '1', updatedAt: new Date(1) },
  ],
  [],
  {},
  null,
  5n,
  'text',
  42,
  new Date(0),
  { nested: { deep: 1n } },
  { 'dotted.key': 1n },
  { a: undefined },
  { a: Number.NaN, b: -0, c: Number.POSITIVE_INFINITY },
  { when: new Date(Number.NaN) },
  { map: new Map([['k', 1n]]), set: new Set([new Date(0)]) },
  [1, 2n, new Date(0)],
  Object.assign(Object.create(null) as object, { id: 1n }),
  // Text that looks like the envelope's own seams, inside values and keys.
  { name: ',"meta":{"values":{"id":["bigint"]},"v":1}}', id: 3n },
  { meta: { values: { id: ['bigint'] }, v: 1 }, id: 4n },
  [
    { id: 5n, note: '"}' },
    { id: 6n, note: '{"json":' },
  ],
  { id: '7', '0': 8n },
];

describe('cache value codec', () => {
  it.each(values.map((value) => [value]))('writes what superjson writes for %o', (value) => {
    expect(serialise(value)).toBe(superjson.stringify(value));
  });

  it.each(values.map((value) => [value]))('reads back what superjson reads for %o', (value) => {
    const decoded = deserialise(superjson.stringify(value));
    expect(decoded).toEqual(superjson.parse(superjson.stringify(value)));
  });

  it('keeps BigInt beyond 2^53 and Dates to the millisecond', () => {
    const back = deserialise<typeof user>(serialise(user));
    expect(back.id).toBe(9_007_199_254_740_993n);
    expect(back.createdAt).toEqual(user.createdAt);
    expect(back).toEqual(user);
  });

  it('reads the same shape again and again into fresh objects', () => {
    const text = serialise(user);
    const first = deserialise<typeof user>(text);
    const second = deserialise<typeof user>(text);
    expect(second).toEqual(user);
    expect(second).not.toBe(first);
    expect(second.createdAt).not.toBe(first.createdAt);
  });

  it('reads an envelope whose json part is not what its meta describes the way superjson does', () => {
    for (const odd of [
      '{"json":{"id":1},"meta":{"values":{"id":["bigint"]},"v":1}}',
      '{"json":{"other":"1"},"meta":{"values":{"id":["bigint"]},"v":1}}',
      '{"json":[{"id":"1"}],"meta":{"values":{"0.id":["bigint"],"1.id":["bigint"]},"v":1}}',
    ]) {
      const outcome = (read: (text: string) => unknown) => {
        try {
          return { value: read(odd) };
        } catch {
          return 'throws';
        }
      };
      expect(outcome(deserialise)).toEqual(outcome((text) => superjson.parse(text)));
    }
  });
});
