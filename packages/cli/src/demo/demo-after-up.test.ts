import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../services.js';
import { createOutput } from '../up/output.js';
import { demoAfterUp } from './demo-after-up.js';
import { type DemoServices, startDemoServices } from './testing/start-demo-services.js';

let mesh: DemoServices;
beforeAll(async () => {
  mesh = await startDemoServices();
}, 120_000);
afterAll(async () => {
  await mesh?.[Symbol.asyncDispose]();
});

/** The running services as `mesh up` describes them to its after-up step. */
function specs(): ServiceSpec[] {
  const urls = {
    ingestion: mesh.urls.ingestion,
    'user-cache': mesh.urls.userCache,
    analytics: mesh.urls.analytics,
    'bot-control': mesh.urls.botControl,
  };
  return Object.entries(urls).map(([name, url]) => ({
    name,
    port: Number(new URL(url).port),
    portVar: 'UNUSED_PORT',
    urlVar: 'UNUSED_URL',
    entry: 'unused.ts',
  }));
}

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, output: createOutput({ stdout: sink, stderr: sink, color: false, names: ['mesh'] }) };
}

/**
 * Procedure calls analytics answered so far. The demo traffic's first call is an analytics
 * read, at once, and it calls analytics every couple of seconds; the seeding never does.
 */
async function analyticsCalls(): Promise<number> {
  const text = await (await fetch(`${mesh.urls.analytics}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('mesh_procedure_calls_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('demoAfterUp', () => {
  it('starts no traffic (and prints no tips) when Ctrl-C comes while the demo data is seeded', async () => {
    const { lines, output } = capture();
    const interrupted = new AbortController();
    const before = await analyticsCalls();
    const step = demoAfterUp({ traffic: true })({
      services: specs(),
      token: mesh.token,
      databaseUrl: mesh.database.url,
      output,
      signal: interrupted.signal,
    });
    // The seeding is under way: its first await has not come back yet.
    interrupted.abort();
    const stop = await step;
    await settle(1000);

    expect(lines.filter((line) => line.includes('demo traffic') || line.includes('what to try'))).toEqual([]);
    expect(await analyticsCalls()).toBe(before);
    await stop?.();
  }, 60_000);

  it('starts the traffic when not interrupted, and stops it when the signal aborts later', async () => {
    const { lines, output } = capture();
    const interrupted = new AbortController();
    const before = await analyticsCalls();
    const stop = await demoAfterUp({ traffic: true })({
      services: specs(),
      token: mesh.token,
      databaseUrl: mesh.database.url,
      output,
      signal: interrupted.signal,
    });
    try {
      expect(lines.some((line) => line.includes('demo traffic:'))).toBe(true);
      const deadline = Date.now() + 20_000;
      while ((await analyticsCalls()) === before && Date.now() < deadline) await settle(100);
      expect(await analyticsCalls()).toBeGreaterThan(before);

      interrupted.abort();
      await settle(1500);
      const afterAbort = await analyticsCalls();
      await settle(2500);
      expect(await analyticsCalls()).toBe(afterAbort);
    } finally {
      await stop?.();
    }
  }, 60_000);
});
