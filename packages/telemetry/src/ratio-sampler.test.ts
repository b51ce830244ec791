import { ROOT_CONTEXT, SamplingDecision, SpanKind } from '@opentelemetry/api';
import { RandomIdGenerator, type Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from './pooled-id-generator.js';
import { TraceIdRatioSampler } from './ratio-sampler.js';

const decide = (sampler: Sampler, traceId: string) =>
  sampler.shouldSample(ROOT_CONTEXT, traceId, 'call', SpanKind.SERVER, {}, []).decision;

describe('TraceIdRatioSampler', () => {
  it('decides as the SDK TraceIdRatioBased sampler for the ids of the process generator', () => {
    for (const ratio of [0, 0.001, 0.1, 0.5, 0.999, 1]) {
      const ids = new PooledIdGenerator();
      const ours = new TraceIdRatioSampler(ratio, ids);
      const sdk = new TraceIdRatioBasedSampler(ratio);
      let sampled = 0;
      for (let i = 0; i < 20_000; i++) {
        const traceId = ids.generateTraceId();
        const decision = decide(ours, traceId);
        expect(decision).toBe(decide(sdk, traceId));
        if (decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
      }
      expect(Math.abs(sampled / 20_000 - ratio)).toBeLessThan(0.02);
    }
  });

  it('decides as the SDK for ids it did not make: another generator, upper case, and invalid ones', () => {
    const ids = new PooledIdGenerator();
    const ours = new TraceIdRatioSampler(0.5, ids);
    const sdk = new TraceIdRatioBasedSampler(0.5);
    const other = new RandomIdGenerator();
    const made = ids.generateTraceId();
    const foreign = [
      ...Array.from({ length: 2_000 }, () => other.generateTraceId()),
      ...Array.from({ length: 500 }, () => other.generateTraceId().toUpperCase()),
      '0'.repeat(32),
      'g'.repeat(32),
      made.slice(1),
      `${made}0`,
      '',
    ];
    for (const traceId of foreign) expect(decide(ours, traceId)).toBe(decide(sdk, traceId));
    expect(decide(ours, '0'.repeat(32))).toBe(SamplingDecision.NOT_RECORD);
    // An earlier id of the generator is no longer its last: decided from its hex, still the same.
    ids.generateTraceId();
    expect(decide(ours, made)).toBe(decide(sdk, made));
  });

  it('decides as the SDK before its generator has made any id, the empty id included', () => {
    const ids = new PooledIdGenerator();
    const ours = new TraceIdRatioSampler(0.5, ids);
    const sdk = new TraceIdRatioBasedSampler(0.5);
    for (const traceId of ['', new RandomIdGenerator().generateTraceId()]) {
      expect(decide(ours, traceId)).toBe(decide(sdk, traceId));
    }
    expect(decide(ours, '')).toBe(SamplingDecision.NOT_RECORD);
  });

  it('reads its ratio as the SDK does, decides with it as the SDK does, and says so as the SDK does', () => {
    for (const ratio of [Number.NaN, -1, 0, 0.25, 1, 7, Number.POSITIVE_INFINITY]) {
      const ids = new PooledIdGenerator();
      const ours = new TraceIdRatioSampler(ratio, ids);
      const sdk = new TraceIdRatioBasedSampler(ratio);
      expect(ours.toString()).toBe(sdk.toString());
      for (let i = 0; i < 2_000; i++) {
        const traceId = ids.generateTraceId();
        expect(decide(ours, traceId)).toBe(decide(sdk, traceId));
      }
    }
  });
});
