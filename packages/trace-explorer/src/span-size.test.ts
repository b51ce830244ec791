import { describe, expect, it } from 'vitest';
import { spanSize } from './span-size.js';
import type { StoredSpan } from './stored-span.js';

const whole: StoredSpan = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: '00f067aa0ba902b7',
  name: 'user-cache.getUsers',
  service: 'user-cache',
  kind: 2,
  startMs: 1_796_655_677_040,
  durationMs: 12,
  status: 'error',
  statusMessage: 'INTERNAL_SERVER_ERROR',
  attributes: {
    'rpc.system': 'trpc',
    'mesh.batch_size': 100,
    'db.query_count': 0,
    'net.offset': -42,
    'cache.hit': true,
    'cache.stale': false,
    missing: null,
    tags: ['a', 'bc', 7],
    empty: [],
    nested: { depth: 2, inner: { ok: true }, none: {} },
  },
  events: [{ name: 'loaded', offsetMs: 3, attributes: { elapsed_ms: 3, rows: 100 } }],
};

describe('spanSize', () => {
  it('is the JSON length of a span whose numbers are whole and whose strings need no escapes', () => {
    expect(spanSize(whole)).toBe(JSON.stringify(whole).length);
    expect(spanSize({ ...whole, events: [], attributes: {} })).toBe(
      JSON.stringify({ ...whole, events: [], attributes: {} }).length,
    );
  });

  it('leaves out what JSON leaves out, and counts what it writes as null', () => {
    const span = { ...whole, statusMessage: undefined, durationMs: Number.NaN } as unknown as StoredSpan;
    expect(spanSize(span)).toBe(JSON.stringify(span).length);
  });

  it('counts integers past 2^53 and negative zero as JSON writes them', () => {
    const span = { ...whole, attributes: { big: 2 ** 63, small: -(2 ** 63), huge: 1e21, zero: -0 } };
    expect(spanSize(span)).toBe(JSON.stringify(span).length);
  });

  it('counts every number with a fraction as 17 characters', () => {
    const base = spanSize({ ...whole, attributes: {} });
    const withFractions = { ...whole, attributes: { a: 0.047607421875, b: -0.5 } };
    // `{"a":` and `,"b":` around two numbers of 17 characters each.
    expect(spanSize(withFractions) - base).toBe('"a":'.length + 17 + ',"b":'.length + 17);
  });

  it('comes within a tenth of the JSON length when times have fractions', () => {
    const span = { ...whole, startMs: 1_796_655_677_040.123, durationMs: 0.047607421875 };
    const json = JSON.stringify(span).length;
    expect(Math.abs(spanSize(span) - json) / json).toBeLessThan(0.1);
  });
});
