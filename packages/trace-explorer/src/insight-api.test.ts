import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTraceExplorer, type TraceExplorer } from './build-trace-explorer.js';
import type { StoredSpan } from './stored-span.js';

let explorer: TraceExplorer;
beforeEach(async () => {
  explorer = await buildTraceExplorer({ maxSpans: 1_000 });
});
afterEach(() => explorer.close());

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A dashboard call into user-cache: one getUsers, or (naive) one getUser per id with a query each. */
function callTrace(n: number, { naive = false, error = false, at = 1_000_000 } = {}): StoredSpan[] {
  const traceId = hex(n, 32);
  let next = n * 10_000;
  const id = () => {
    next += 1;
    return hex(next, 16);
  };
  const base = { traceId, status: 'unset' as const, events: [] };
  const root: StoredSpan = {
    ...base,
    spanId: id(),
    name: 'analytics.userSummary',
    service: 'analytics',
    kind: 2,
    startMs: at,
    durationMs: naive ? 50 : 5,
    attributes: { 'rpc.system': 'trpc', 'db.query_count': 1, 'user.id': String(n) },
  };
  const spans = [root];
  for (let i = 0; i < (naive ? 6 : 1); i += 1) {
    const server: StoredSpan = {
      ...base,
      spanId: id(),
      parentSpanId: root.spanId,
      name: 'POST',
      service: 'user-cache',
      kind: 2,
      startMs: at + i * 5,
      durationMs: 4,
      status: error ? 'error' : 'unset',
      attributes: {},
    };
    const procedure: StoredSpan = {
      ...base,
      spanId: id(),
      parentSpanId: server.spanId,
      name: naive ? 'user-cache.getUser' : 'user-cache.getUsers',
      service: 'user-cache',
      kind: 1,
      startMs: at + i * 5,
      durationMs: 3,
      attributes: {
        'rpc.system': 'trpc',
        'db.query_count': 1,
        'cache.hits': naive ? 0 : 1,
        'cache.misses': 1,
      },
    };
    const query: StoredSpan = {
      ...base,
      spanId: id(),
      parentSpanId: procedure.spanId,
      name: 'pg.query:SELECT',
      service: 'user-cache',
      kind: 3,
      startMs: at + i * 5 + 1,
      durationMs: 1,
      attributes: { 'db.query.text': `SELECT * FROM users WHERE id = ${i}` },
    };
    spans.push(server, procedure, query);
  }
  return spans;
}

const json = async (url: string) => (await explorer.app.inject(url)).json();
const idsOf = (body: { traces: Array<{ traceId: string }> }) => body.traces.map((t) => t.traceId).sort();

describe('the explorer API around findings', () => {
  it('serves a trace with its findings, and lists and filters traces by finding', async () => {
    explorer.store.add(callTrace(1, { naive: true }));
    explorer.store.add(callTrace(2));
    const one = await json(`/api/traces/${hex(1, 32)}`);
    expect(one.findings).toMatchObject([{ kind: 'n+1-call', count: 6, procedure: 'user-cache.getUser' }]);
    expect(one.summary.findingKinds).toEqual(['n+1-call']);
    expect(idsOf(await json('/api/traces?finding=n%2B1-call'))).toEqual([hex(1, 32)]);
    expect(idsOf(await json('/api/traces?finding=any'))).toEqual([hex(1, 32)]);
    expect((await explorer.app.inject('/api/traces?finding=slow')).statusCode).toBe(400);
  });

  it('searches by attribute, trace id prefix, duration range and time window', async () => {
    explorer.store.add(callTrace(1, { naive: true, at: 1_000 }));
    explorer.store.add(callTrace(2, { at: 5_000 }));
    expect(idsOf(await json('/api/traces?attr=user.id%3D2'))).toEqual([hex(2, 32)]);
    expect(idsOf(await json(`/api/traces?traceId=${hex(1, 32).toUpperCase()}`))).toEqual([hex(1, 32)]);
    expect(idsOf(await json('/api/traces?maxMs=20'))).toEqual([hex(2, 32)]);
    expect(idsOf(await json('/api/traces?from=2000&to=9000'))).toEqual([hex(2, 32)]);
    expect((await explorer.app.inject('/api/traces?attr=novalue')).statusCode).toBe(400);
  });

  it('compares two traces by span name: time, queries and cache counts', async () => {
    explorer.store.add(callTrace(1, { naive: true }));
    explorer.store.add(callTrace(2));
    const compared = await json(`/api/compare?a=${hex(1, 32)}&b=${hex(2, 32)}`);
    expect(compared.delta).toMatchObject({ durationMs: -45, queries: -5, cacheHits: 1, cacheMisses: -5 });
    const getUser = compared.rows.find((row: { name: string }) => row.name === 'user-cache.getUser');
    expect(getUser).toMatchObject({ a: { count: 6, queries: 6 }, b: null });
    expect((await explorer.app.inject(`/api/compare?a=${hex(1, 32)}&b=${hex(9, 32)}`)).statusCode).toBe(404);
  });

  it('draws the service map from calls between services, with rate, errors and percentiles', async () => {
    explorer.store.add(callTrace(1, { naive: true, error: true }));
    explorer.store.add(callTrace(2));
    const map = await json('/api/service-map');
    expect(map.nodes.map((node: { service: string }) => node.service)).toEqual(['analytics', 'user-cache']);
    expect(map.edges).toMatchObject([
      { from: 'analytics', to: 'user-cache', calls: 7, errors: 6, p50Ms: 4, p99Ms: 4 },
    ]);
    expect(map.edges[0].errorRate).toBeCloseTo(6 / 7);
  });

  it('gives a procedure its percentiles, histogram, queries per call, hit ratio, findings and slowest traces', async () => {
    explorer.store.add(callTrace(1, { naive: true }));
    explorer.store.add(callTrace(2));
    const stats = await json('/api/procedures/user-cache.getUser');
    expect(stats).toMatchObject({
      calls: 6,
      errors: 0,
      queriesPerCall: { mean: 1, max: 1 },
      cache: { hits: 0, misses: 6, hitRatio: 0 },
    });
    expect(stats.histogram.find((bucket: { le: number }) => bucket.le === 5).count).toBe(6);
    expect(stats.findings).toMatchObject([{ kind: 'n+1-call', traces: 1, traceId: hex(1, 32) }]);
    expect(stats.slowest[0].traceId).toBe(hex(1, 32));
    const listed = await json('/api/procedures');
    expect(listed.procedures.map((p: { procedure: string }) => p.procedure)).toContain('user-cache.getUsers');
    expect((await json('/api/procedures/nothing.here')).calls).toBe(0);
  });

  it('keeps at most maxSpans spans, dropping the oldest traces first', async () => {
    for (let n = 1; n <= 80; n += 1) explorer.store.add(callTrace(n, { naive: true }));
    const stats = await json('/api/stats');
    expect(stats.traces.spans).toBeLessThanOrEqual(1_000);
    expect(explorer.store.get(hex(1, 32))).toBeUndefined();
    expect(explorer.store.get(hex(80, 32))).toHaveLength(19);
    expect(stats.memory.heapUsed).toBeGreaterThan(0);
  });

  it('streams the summaries of arriving traces over /api/live', async () => {
    const url = await explorer.listen(0);
    const controller = new AbortController();
    const response = await fetch(`${url}/api/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    explorer.store.add(callTrace(7, { naive: true }));
    let text = '';
    while (!text.includes('event: traces')) text += new TextDecoder().decode((await reader.read()).value);
    while (!text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    const data = JSON.parse(text.split('event: traces\ndata: ')[1]?.split('\n')[0] ?? '{}');
    expect(data.traces).toMatchObject([{ traceId: hex(7, 32), findingKinds: ['n+1-call'] }]);
    controller.abort();
  });
});

describe('calls through the gRPC face', () => {
  /** analytics' userSummary called over gRPC (its span says rpc.system=grpc), by a gRPC client that traced its call. */
  function grpcTrace(): StoredSpan[] {
    const base = { traceId: hex(7, 32), status: 'unset' as const, events: [], startMs: 2_000 };
    const client: StoredSpan = {
      ...base,
      spanId: hex(1, 16),
      name: 'mesh.analytics.v1.AnalyticsService/UserSummary',
      service: 'escrow-bot',
      kind: 3,
      durationMs: 9,
      attributes: { 'rpc.system': 'grpc', 'rpc.method': 'UserSummary' },
    };
    const procedure: StoredSpan = {
      ...base,
      spanId: hex(2, 16),
      parentSpanId: client.spanId,
      name: 'analytics.userSummary',
      service: 'analytics',
      kind: 2,
      durationMs: 7,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': 'mesh.analytics.v1.AnalyticsService',
        'rpc.method': 'UserSummary',
        'mesh.procedure': 'userSummary',
        'db.query_count': 2,
      },
    };
    return [client, procedure];
  }

  it('counts the face’s procedure span as a procedure, in the list and on /api/procedures, and not the client’s', async () => {
    explorer.store.add(grpcTrace());
    const { traces } = await json('/api/traces?procedure=analytics.userSummary');
    expect(traces).toMatchObject([
      { traceId: hex(7, 32), procedure: 'analytics.userSummary', queryCount: 2 },
    ]);
    expect((await json('/api/traces?procedure=AnalyticsService/UserSummary')).traces).toEqual([]);
    const { procedures } = await json('/api/procedures');
    expect(procedures.map((p: { procedure: string }) => p.procedure)).toEqual(['analytics.userSummary']);
    expect(await json('/api/procedures/analytics.userSummary')).toMatchObject({
      calls: 1,
      queriesPerCall: { mean: 2, max: 2 },
    });
  });
});
