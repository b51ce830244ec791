import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  createAlwaysRecordSampler,
  ParentBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import type { TracesSamplerName } from './env.js';
import type { PooledIdGenerator } from './pooled-id-generator.js';
import { TraceIdRatioSampler } from './ratio-sampler.js';

export interface SamplingSettings {
  /** `OTEL_TRACES_SAMPLER`. */
  sampler: TracesSamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`: the ratio of the traceidratio samplers; 1 when unset. */
  ratio?: number | undefined;
  /** Whether the keep rule is on (it needs every span recorded, sampled or not). */
  keepRule: boolean;
  /** The process's id generator, whose trace ids the ratio sampler decides without parsing them. */
  ids?: PooledIdGenerator | undefined;
}

/** The head sampler `OTEL_TRACES_SAMPLER` names, as the spec defines each. */
export function headSampler(name: TracesSamplerName, ratio = 1, ids?: PooledIdGenerator): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioSampler(ratio, ids);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioSampler(ratio, ids) });
  }
}

/**
 * The process's sampler: the head sampler decides what is sampled (and so what the
 * `traceparent` sent on says), and with the keep rule on, whatever it drops is still
 * recorded, unsampled (the SDK's AlwaysRecord wrapper), so the keep-rule processor can
 * export it after all when the local trace ends in error or late.
 */
export function createSampler({ sampler, ratio, keepRule, ids }: SamplingSettings): Sampler {
  const head = headSampler(sampler, ratio, ids);
  return keepRule ? createAlwaysRecordSampler(head) : head;
}
