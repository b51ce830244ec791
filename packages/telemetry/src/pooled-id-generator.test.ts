import { INVALID_SPANID, INVALID_TRACEID, isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from './pooled-id-generator.js';
import { ratioKeyOf } from './ratio-sampler.js';

describe('PooledIdGenerator', () => {
  it('makes valid, lowercase, distinct trace and span ids across many pools', () => {
    const ids = new PooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    // 20,000 of each: some 120 pools of 4 KB, so ids are cut across every refill.
    for (let i = 0; i < 20_000; i++) {
      const traceId = ids.generateTraceId();
      const spanId = ids.generateSpanId();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(isValidTraceId(traceId) && traceId !== INVALID_TRACEID).toBe(true);
      expect(isValidSpanId(spanId) && spanId !== INVALID_SPANID).toBe(true);
      traces.add(traceId);
      spans.add(spanId);
    }
    expect(traces.size).toBe(20_000);
    expect(spans.size).toBe(20_000);
  });

  it('remembers the last trace id with the ratio key its hex gives', () => {
    const ids = new PooledIdGenerator();
    for (let i = 0; i < 2_000; i++) {
      const traceId = ids.generateTraceId();
      if (i % 3 === 0) ids.generateSpanId();
      expect(ids.lastTraceId).toBe(traceId);
      expect(ids.lastRatioKey).toBe(ratioKeyOf(traceId));
    }
  });

  it('spreads ids evenly: each hex digit about 1/16 of the time', () => {
    const ids = new PooledIdGenerator();
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      for (const digit of ids.generateTraceId()) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    }
    expect(counts.size).toBe(16);
    // 160,000 digits: 10,000 expected each; a stuck or biased source is far outside this.
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });
});
