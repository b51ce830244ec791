import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBench } from './run-bench.js';
import type { SuiteCase, SuiteEntry } from './suite.js';

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

const latency: SuiteCase = {
  name: 'p99 latency',
  metric: 'ms',
  better: 'lower',
  baselineRuns: [2, 4, 3],
  valueRuns: [12, 9, 10],
  errors: 0,
  notes: 'fake',
  extra: { p50: 1.5 },
};

const fakeSuite = (cases: SuiteCase[]): SuiteEntry => ({
  summary: 'a suite that measures nothing',
  load: async () => ({ run: async () => ({ cases }) }),
});

describe('runBench', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an unknown suite with exit code 2 and lists the suites', async () => {
    const stderr = sink();
    const code = await runBench(['nope'], {
      suites: { rpc: fakeSuite([latency]) },
      resultsDir: dir,
      stdout: sink(),
      stderr,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toContain('"nope"');
    expect(stderr.text()).toContain('rpc');
  });

  it('writes <suite>.json in the documented shape', async () => {
    const stdout = sink();
    const code = await runBench(['fake'], {
      suites: { fake: fakeSuite([latency]) },
      resultsDir: dir,
      stdout,
      stderr: sink(),
    });
    expect(code).toBe(0);
    const written = JSON.parse(await readFile(join(dir, 'fake.json'), 'utf8'));
    expect(Object.keys(written)).toEqual(['suite', 'node', 'cpus', 'date', 'cases']);
    expect(written).toMatchObject({ suite: 'fake', node: process.version, cpus: expect.any(Number) });
    expect(new Date(written.date).toISOString()).toBe(written.date);
    expect(written.cases).toEqual([
      {
        name: 'p99 latency',
        metric: 'ms',
        baseline: 3,
        value: 10,
        ratio: 0.3,
        notes: 'median of 3 runs; fake',
        errors: 0,
        runs: { baseline: [2, 4, 3], value: [12, 9, 10] },
        p50: 1.5,
      },
    ]);
    expect(stdout.text()).toContain('p99 latency');
  });

  it('runs every suite when none is named', async () => {
    const code = await runBench([], {
      suites: { a: fakeSuite([latency]), b: fakeSuite([latency]) },
      resultsDir: dir,
      stdout: sink(),
      stderr: sink(),
    });
    expect(code).toBe(0);
    await expect(readFile(join(dir, 'a.json'), 'utf8')).resolves.toContain('"suite": "a"');
    await expect(readFile(join(dir, 'b.json'), 'utf8')).resolves.toContain('"suite": "b"');
  });

  it('exits 1 when a case saw failed answers, still writing its figures', async () => {
    const stderr = sink();
    const code = await runBench(['fake'], {
      suites: { fake: fakeSuite([{ ...latency, errors: 3 }]) },
      resultsDir: dir,
      stdout: sink(),
      stderr,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toContain('failed or wrong answers');
    const written = JSON.parse(await readFile(join(dir, 'fake.json'), 'utf8'));
    expect(written.cases[0].errors).toBe(3);
  });

  it('exits 1 when a suite throws, and goes on with the next', async () => {
    const broken: SuiteEntry = {
      summary: 'throws',
      load: async () => ({
        run: async () => {
          throw new Error('server did not start');
        },
      }),
    };
    const stderr = sink();
    const code = await runBench(['broken', 'fake'], {
      suites: { broken, fake: fakeSuite([latency]) },
      resultsDir: dir,
      stdout: sink(),
      stderr,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toContain('server did not start');
    await expect(readFile(join(dir, 'fake.json'), 'utf8')).resolves.toContain('"suite": "fake"');
  });
});
