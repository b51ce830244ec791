import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { deserializeSuperjson, serializeSuperjson } from './superjson-fast.js';

const shared = { x: 1 };
const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;
class Point {
  constructor(readonly x: number) {}
}
const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
// biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
const holey = [1, , 3];

const values: Array<[string, unknown]> = [
  ['a plain object', { n: 2, name: 'a', ok: true, none: null, list: [1, 'b', { c: [] }] }],
  ['a number', 3.5],
  ['a string', 'text'],
  ['null', null],
  ['an empty array', []],
  ['undefined', undefined],
  ['an undefined field', { a: undefined }],
  ['NaN', { n: Number.NaN }],
  ['Infinity', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
  ['-0', { n: -0 }],
  ['a BigInt', { id: 1n }],
  ['a Date', { at: new Date(0) }],
  ['a Map and a Set', { m: new Map([[1, 'a']]), s: new Set([1]) }],
  ['a shared object', { a: shared, b: shared }],
  ['a circular object', circular],
  ['a class instance', { p: new Point(1) }],
  ['a null-prototype object', { o: nullProto }],
  ['an array with a hole', holey],
  ['a RegExp and an Error', { r: /a/g, e: new Error('x') }],
];

describe('serializeSuperjson', () => {
  it.each(values)('gives what superjson gives for %s', (_name, value) => {
    expect(serializeSuperjson(value)).toStrictEqual(superjson.serialize(value));
    expect(JSON.stringify(serializeSuperjson(value))).toBe(JSON.stringify(superjson.serialize(value)));
  });

  it('refuses the keys superjson refuses', () => {
    for (const key of ['constructor', 'prototype']) {
      const value = { [key]: 1 };
      expect(() => superjson.serialize(value)).toThrow();
      expect(() => serializeSuperjson(value)).toThrow();
    }
  });

  it('holds the value as it was when serialised, as superjson does', () => {
    const value = { n: 1, list: [1] };
    const wire = serializeSuperjson(value);
    value.n = 2;
    value.list.push(2);
    expect(wire).toEqual({ json: { n: 1, list: [1] } });
  });
});

describe('deserializeSuperjson', () => {
  const wires: Array<[string, string]> = [
    ['plain JSON', '{"json":{"n":1,"list":[1,{"a":null}]}}'],
    ['a BigInt and a Date', JSON.stringify(superjson.serialize({ id: 1n, at: new Date(0) }))],
    ['undefined', JSON.stringify(superjson.serialize(undefined))],
    ['a __proto__ key', '{"json":{"__proto__":{"polluted":true},"y":2}}'],
    ['a nested __proto__ key', '{"json":{"a":[{"__proto__":{"polluted":true}}]}}'],
    ['no json at all', '{}'],
  ];

  it.each(wires)('gives what superjson gives for %s', (_name, text) => {
    const fast = deserializeSuperjson(JSON.parse(text));
    const slow = superjson.deserialize(JSON.parse(text));
    expect(fast).toStrictEqual(slow);
    expect((fast as { polluted?: unknown } | undefined)?.polluted).toBeUndefined();
  });
});
