import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { decodeCallInput, encodeCallOutput } from './call-value.js';

describe('mesh call values', () => {
  it('reads "42n" as a BigInt and {"$date": ...} as a Date, at any depth', () => {
    expect(
      decodeCallInput('{"ids":["42n","-7n"],"range":{"from":{"$date":"2026-01-01T00:00:00Z"}},"name":"42"}'),
    ).toEqual({ ids: [42n, -7n], range: { from: new Date('2026-01-01T00:00:00Z') }, name: '42' });
  });

  it("takes superjson's own {json, meta} form", () => {
    const wire = superjson.serialize({ id: 9007199254740993n, at: new Date('2026-02-03T04:05:06Z') });
    expect(decodeCallInput(JSON.stringify(wire))).toEqual({
      id: 9007199254740993n,
      at: new Date('2026-02-03T04:05:06Z'),
    });
  });

  it('gives nothing for no input, and refuses bad JSON and bad dates', () => {
    expect(decodeCallInput(undefined)).toBeUndefined();
    expect(decodeCallInput('  ')).toBeUndefined();
    expect(() => decodeCallInput('{ids: [1]}')).toThrow(SyntaxError);
    expect(() => decodeCallInput('{"$date":"yesterday"}')).toThrow(SyntaxError);
  });

  it('prints BigInt and Date the way it reads them, so a result can be pasted back', () => {
    const value = { id: 42n, at: new Date('2026-01-01T00:00:00Z'), tags: new Set(['a']), none: null };
    const printed = encodeCallOutput(value);
    expect(JSON.parse(printed)).toEqual({
      id: '42n',
      at: { $date: '2026-01-01T00:00:00.000Z' },
      tags: ['a'],
      none: null,
    });
    expect(decodeCallInput(printed)).toEqual({ ...value, tags: ['a'] });
  });
});
