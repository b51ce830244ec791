import { createMeshClient } from '@mesh/sdk';
import { createClientTracer } from '@mesh/telemetry';
import { countRows, runSql } from '@mesh/testing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../up/free-port.js';
import { DEMO, DEMO_CHANNELS } from './demo-data-set.js';
import { seedDemoChannels } from './seed-demo-channels.js';
import { seedDemoTables } from './seed-demo-tables.js';
import { startTraffic, type TrafficKind } from './start-traffic.js';
import { type DemoServices, startDemoServices } from './testing/start-demo-services.js';

let mesh: DemoServices;
beforeAll(async () => {
  mesh = await startDemoServices();
  await seedDemoTables({ databaseUrl: mesh.database.url });
}, 120_000);
afterAll(async () => {
  await mesh?.[Symbol.asyncDispose]();
});

async function until(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not met in time: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('seedDemoChannels', () => {
  it('registers the channels and syncs their posts through ingestion once; a second run writes nothing', async () => {
    const client = createMeshClient({ urls: mesh.urls, token: mesh.token, retries: 0 });
    try {
      const first = await seedDemoChannels(client.ingestion);
      expect(first).toEqual({
        outcome: 'seeded',
        channels: DEMO_CHANNELS.length,
        posts: DEMO_CHANNELS.length * DEMO.postsPerChannel,
      });
      expect(await seedDemoChannels(client.ingestion)).toEqual({ outcome: 'present' });
      expect(await countRows(mesh.database.url, 'ingestion.messages')).toBe(
        DEMO_CHANNELS.length * DEMO.postsPerChannel,
      );
    } finally {
      await client.close();
    }
  });
});

describe('startTraffic', () => {
  it('makes calls of every kind against the real services, the naive lookups one getUser per id, and stops on stop()', async () => {
    const spans = new InMemorySpanExporter();
    const tracer = createClientTracer({
      serviceName: 'demo-traffic',
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    });
    const client = createMeshClient({ urls: mesh.urls, token: mesh.token, retries: 0, timeoutMs: 5000 });
    const warnings: string[] = [];
    const trades = await countRows(mesh.database.url, 'analytics.trades');
    const traffic = startTraffic({
      client,
      tracer: tracer.tracer,
      log: { info: () => {}, warn: (text) => warnings.push(text) },
      intervals: { dashboard: 100, users: 100, trades: 150, commands: 150, sync: 400, naive: 300 },
    });
    const kinds: TrafficKind[] = ['dashboard', 'users', 'trades', 'commands', 'acks', 'sync', 'naive'];
    try {
      await until(
        () => kinds.every((kind) => traffic.counts[kind] > 0),
        30_000,
        () => JSON.stringify({ counts: traffic.counts, warnings }),
      );
    } finally {
      await traffic.stop();
    }
    expect(warnings).toEqual([]);
    const counted = { ...traffic.counts };
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(traffic.counts).toEqual(counted);

    expect(await countRows(mesh.database.url, 'analytics.trades')).toBeGreaterThan(trades);
    const [settled] = await runSql<{ count: string }>(
      { databaseUrl: mesh.database.url },
      `SELECT count(*) FROM bots.bot_commands WHERE status IN ('done', 'failed') AND created_at > now() - interval '5 minutes'`,
    );
    expect(Number(settled?.count)).toBeGreaterThan(0);
    // The syncs went on where the first one stopped.
    expect(await countRows(mesh.database.url, 'ingestion.messages')).toBeGreaterThan(
      DEMO_CHANNELS.length * DEMO.postsPerChannel,
    );

    const finished = spans.getFinishedSpans();
    const naive = finished.find((span) => span.name === 'demo.naive-user-lookups');
    expect(naive).toBeDefined();
    const perId = finished.filter(
      (span) =>
        span.name === 'user-cache.getUser' && span.parentSpanContext?.spanId === naive?.spanContext().spanId,
    );
    expect(perId).toHaveLength(10);

    await tracer.shutdown();
  }, 60_000);

  it('keeps going when a service does not answer: one line for what fails, the rest still served', async () => {
    const tracer = createClientTracer({ serviceName: 'demo-traffic' });
    const down = `http://127.0.0.1:${await freePort()}`;
    const client = createMeshClient({
      urls: { ...mesh.urls, botControl: down },
      token: mesh.token,
      retries: 0,
      timeoutMs: 2000,
    });
    const warnings: string[] = [];
    const traffic = startTraffic({
      client,
      tracer: tracer.tracer,
      log: { info: () => {}, warn: (text) => warnings.push(text) },
      intervals: { dashboard: 100, users: 100, trades: 100, commands: 100, sync: 60_000, naive: 60_000 },
    });
    try {
      await until(
        () => traffic.counts.dashboard > 3 && traffic.counts.users > 3 && warnings.length >= 2,
        30_000,
        () => JSON.stringify({ counts: traffic.counts, warnings }),
      );
    } finally {
      await traffic.stop();
      await tracer.shutdown();
    }
    expect(traffic.counts.commands).toBe(0);
    expect(traffic.counts.acks).toBe(0);
    // One line per kind that fails, however many calls failed.
    expect(warnings.map((line) => line.split(' failed')[0])).toEqual(
      expect.arrayContaining(['demo traffic: commands', 'demo traffic: acks']),
    );
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(
      warnings.every(
        (line) => line.startsWith('demo traffic: commands') || line.startsWith('demo traffic: acks'),
      ),
    ).toBe(true);
  }, 60_000);
});
