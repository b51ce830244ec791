import { createMeshClient } from '@mesh/sdk';
import { createClientTracer } from '@mesh/telemetry';
import { countRows, runSql } from '@mesh/testing';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../up/free-port.js';
import { DEMO, DEMO_CHANNELS } from './demo-data-set.js';
import { seedDemoChannels } from './seed-demo-channels.js';
import { seedDemoTables } from './seed-demo-tables.js';
import { startTraffic, type TrafficKind } from './start-traffic.js';
import { type DemoServices, startDemoServices } from './testing/start-demo-services.js';

/** Each describe gets its own services and database, so no test relies on another having run. */
function useDemoServices(prepare: (mesh: DemoServices) => Promise<void>): () => DemoServices {
  let mesh: DemoServices | undefined;
  beforeAll(async () => {
    mesh = await startDemoServices();
    await prepare(mesh);
  }, 120_000);
  afterAll(async () => {
    await mesh?.[Symbol.asyncDispose]();
  });
  return () => {
    if (!mesh) throw new Error('the demo services did not start');
    return mesh;
  };
}

async function until(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not met in time: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('seedDemoChannels', () => {
  const services = useDemoServices(async () => {});

  it('registers the channels and syncs their posts through ingestion once; a second run writes nothing', async () => {
    const mesh = services();
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
  // The demo's data as `mesh up` leaves it: the tables, and the channels with their posts.
  const services = useDemoServices(async (mesh) => {
    await seedDemoTables({ databaseUrl: mesh.database.url });
    const client = createMeshClient({ urls: mesh.urls, token: mesh.token, retries: 0 });
    try {
      expect((await seedDemoChannels(client.ingestion)).outcome).toBe('seeded');
    } finally {
      await client.close();
    }
  });

  it('makes calls of every kind against the real services, the naive lookups one getUser per id, and stops on stop()', async () => {
    const mesh = services();
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

    // Each per-id call nests as the SDK records it: the service's span under the client span of
    // the call (the SDK's own over a pooled websocket), which hangs under the naive lookups'
    // span. A call made while its socket still connects goes over HTTP, whose client span is
    // the http instrumentation's, which this process does not run: that service span hangs
    // straight under the naive one.
    const finished = spans.getFinishedSpans();
    type Finished = (typeof finished)[number];
    const byId = new Map(finished.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: Finished | undefined) => byId.get(span?.parentSpanContext?.spanId ?? '');
    const naive = finished.find((span) => span.name === 'demo.naive-user-lookups');
    expect(naive).toBeDefined();
    const socketCalls = finished.filter(
      (span) =>
        span.kind === SpanKind.CLIENT &&
        span.attributes['rpc.method'] === 'getUser' &&
        parentOf(span) === naive,
    );
    expect(socketCalls.length).toBeGreaterThan(0);
    for (const call of socketCalls) expect(call.name).toBe('query getUser');
    const perId = finished.filter(
      (span) =>
        span.name === 'user-cache.getUser' &&
        (socketCalls.includes(parentOf(span) as Finished) || parentOf(span) === naive),
    );
    expect(perId).toHaveLength(10);
    expect(perId.filter((span) => parentOf(span) === naive)).toHaveLength(10 - socketCalls.length);

    await tracer.shutdown();
  }, 60_000);

  it('keeps going when a service does not answer: one line for what fails, the rest still served', async () => {
    const mesh = services();
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
