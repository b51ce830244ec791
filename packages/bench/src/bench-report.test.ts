import { describe, expect, it } from 'vitest';
import { buildReport } from './bench-report.js';
import { median } from './median.js';
import { ratioOf } from './ratio.js';
import type { SuiteCase } from './suite.js';

describe('ratioOf', () => {
  it('takes value over baseline when higher is better (throughput)', () => {
    expect(ratioOf('higher', 1000, 3000)).toBe(3);
    expect(ratioOf('higher', 4000, 1000)).toBe(0.25);
  });

  it('takes baseline over value when lower is better (latency)', () => {
    expect(ratioOf('lower', 30, 10)).toBe(3);
    expect(ratioOf('lower', 2, 8)).toBe(0.25);
  });

  it('gives null when a zero or missing figure makes the ratio meaningless', () => {
    expect(ratioOf('lower', 5, 0)).toBeNull();
    expect(ratioOf('higher', 0, 5)).toBeNull();
    expect(ratioOf('higher', Number.NaN, 5)).toBeNull();
  });
});

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no runs', () => {
    expect(median([])).toBeNaN();
  });
});

describe('buildReport', () => {
  const throughput: SuiteCase = {
    name: 'server throughput',
    metric: 'req/s',
    better: 'higher',
    baselineRuns: [20_000, 26_000, 24_000],
    valueRuns: [3000, 2400, 2800],
    errors: 0,
    notes: 'autocannon',
    extra: { p99: 12, ratio: 99 },
  };

  it('reports the medians of the runs and the ratio as times better than the baseline', () => {
    const report = buildReport(
      'rpc',
      { cases: [throughput] },
      { date: new Date(0), node: 'v20.0.0', cpus: 2 },
    );
    expect(report).toMatchObject({
      suite: 'rpc',
      node: 'v20.0.0',
      cpus: 2,
      date: '1970-01-01T00:00:00.000Z',
    });
    expect(report.cases[0]).toMatchObject({
      name: 'server throughput',
      metric: 'req/s',
      baseline: 24_000,
      value: 2800,
      ratio: 0.117,
      errors: 0,
      runs: { baseline: [20_000, 26_000, 24_000], value: [3000, 2400, 2800] },
      p99: 12,
    });
    expect(report.cases[0]?.notes).toBe('median of 3 runs; autocannon');
  });

  it('marks a case whose runs saw failed answers in its notes', () => {
    const report = buildReport('rpc', { cases: [{ ...throughput, errors: 7 }] });
    expect(report.cases[0]?.errors).toBe(7);
    expect(report.cases[0]?.notes).toMatch(/^ERRORS: 7 /);
  });
});
