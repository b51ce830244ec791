import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { counterChild, histogramChild } from './metric-children.js';

function metricsIn(registry: Registry) {
  registry.setDefaultLabels({ service: 'test' });
  return {
    calls: new Counter({
      name: 'calls_total',
      help: 'calls',
      labelNames: ['procedure', 'code'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'latency_seconds',
      help: 'latency',
      labelNames: ['procedure'],
      buckets: [0.001, 0.01, 0.1, 1],
      registers: [registry],
    }),
  };
}

const observations = [0.0005, 0.001, 0.002, 0.05, 0.5, 3, 0, 0.01];

describe('counterChild and histogramChild', () => {
  it('expose exactly what prom-client’s own updates expose, across a reset', async () => {
    const plainRegistry = new Registry();
    const fastRegistry = new Registry();
    const plain = metricsIn(plainRegistry);
    const fast = metricsIn(fastRegistry);
    const incOk = counterChild(fast.calls, { procedure: 'ping', code: 'OK' });
    const incFailed = counterChild(fast.calls, { procedure: 'ping', code: 'NOT_FOUND' });
    const observePing = histogramChild(fast.latency, { procedure: 'ping' });
    const observeEcho = histogramChild(fast.latency, { procedure: 'echo' });

    const round = () => {
      for (const [index, seconds] of observations.entries()) {
        plain.calls.inc({ procedure: 'ping', code: index % 3 === 0 ? 'NOT_FOUND' : 'OK' });
        (index % 3 === 0 ? incFailed : incOk)();
        plain.latency.observe({ procedure: index % 2 === 0 ? 'ping' : 'echo' }, seconds);
        (index % 2 === 0 ? observePing : observeEcho)(seconds);
      }
    };
    round();
    expect(await fastRegistry.metrics()).toBe(await plainRegistry.metrics());
    plainRegistry.resetMetrics();
    fastRegistry.resetMetrics();
    round();
    round();
    expect(await fastRegistry.metrics()).toBe(await plainRegistry.metrics());
    expect(await fastRegistry.metrics()).toContain(
      'latency_seconds_count{service="test",procedure="ping"} 8',
    );
  });

  it('refuses a value that is not a number, as prom-client does', () => {
    const observe = histogramChild(metricsIn(new Registry()).latency, { procedure: 'ping' });
    observe(0.1);
    expect(() => observe(Number.NaN)).toThrow(TypeError);
  });
});
