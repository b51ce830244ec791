import { EnvError } from '@mesh/config';
import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createSampler, headSampler } from './create-sampler.js';
import { readTelemetryEnv, TRACES_SAMPLERS } from './env.js';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const remote = (sampled: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: 'b7ad6b7169203331',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
const decide = (sampler: ReturnType<typeof createSampler>, parent = ROOT_CONTEXT) =>
  sampler.shouldSample(parent, traceId, 'call', SpanKind.SERVER, {}, []).decision;

function badVariables(source: Record<string, string>): string[] {
  try {
    readTelemetryEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.variables;
    throw error;
  }
  return [];
}

describe('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG', () => {
  it('default to every trace (parentbased_always_on), with the keep rule at 500 ms and on errors', () => {
    expect(readTelemetryEnv({})).toMatchObject({
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      MESH_TRACE_KEEP_SLOW_MS: 500,
      MESH_TRACE_KEEP_ERRORS: true,
      OTEL_BSP_SCHEDULE_DELAY: 5000,
    });
  });

  it('read every sampler of the spec this SDK builds, in any case, and the ratio', () => {
    for (const name of TRACES_SAMPLERS) {
      expect(readTelemetryEnv({ OTEL_TRACES_SAMPLER: name.toUpperCase() }).OTEL_TRACES_SAMPLER).toBe(name);
    }
    const env = readTelemetryEnv({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(0.1);
  });

  it('refuse an unknown sampler, a ratio outside 0..1 or not a number, and a bad keep setting, by name', () => {
    expect(badVariables({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toEqual(['OTEL_TRACES_SAMPLER']);
    expect(badVariables({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
    expect(badVariables({ OTEL_TRACES_SAMPLER_ARG: 'tenth' })).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
    expect(badVariables({ MESH_TRACE_KEEP_SLOW_MS: '-1' })).toEqual(['MESH_TRACE_KEEP_SLOW_MS']);
    expect(badVariables({ MESH_TRACE_KEEP_ERRORS: 'sometimes' })).toEqual(['MESH_TRACE_KEEP_ERRORS']);
    expect(badVariables({ OTEL_BSP_MAX_QUEUE_SIZE: '0' })).toEqual(['OTEL_BSP_MAX_QUEUE_SIZE']);
  });
});

describe('headSampler', () => {
  it('builds the sampler each name stands for', () => {
    expect(headSampler('always_on').toString()).toBe('AlwaysOnSampler');
    expect(headSampler('always_off').toString()).toBe('AlwaysOffSampler');
    expect(headSampler('traceidratio', 0.25).toString()).toBe('TraceIdRatioBased{0.25}');
    expect(headSampler('parentbased_always_off').toString()).toMatch(/^ParentBased\{root=AlwaysOffSampler,/);
    expect(headSampler('parentbased_traceidratio', 0.1).toString()).toMatch(
      /^ParentBased\{root=TraceIdRatioBased\{0.1\},/,
    );
    expect(headSampler('traceidratio').toString()).toBe('TraceIdRatioBased{1}');
  });

  it('follows the caller’s sampled flag under a parent-based sampler, whatever the ratio', () => {
    const sampler = headSampler('parentbased_traceidratio', 0);
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, remote(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(headSampler('parentbased_traceidratio', 1), remote(false))).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });
});

describe('createSampler', () => {
  it('records what the head sampler drops, unsampled, when the keep rule is on', () => {
    const sampler = createSampler({ sampler: 'parentbased_traceidratio', ratio: 0, keepRule: true });
    expect(decide(sampler)).toBe(SamplingDecision.RECORD);
    expect(decide(sampler, remote(false))).toBe(SamplingDecision.RECORD);
    expect(decide(sampler, remote(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('leaves the head sampler alone without the keep rule', () => {
    const sampler = createSampler({ sampler: 'always_off', keepRule: false });
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
  });
});
