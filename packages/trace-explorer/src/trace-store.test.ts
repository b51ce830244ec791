import { describe, expect, it } from 'vitest';
import type { StoredSpan } from './stored-span.js';
import { createTraceStore } from './trace-store.js';

function span(traceId: string, overrides: Partial<StoredSpan> = {}): StoredSpan {
  return {
    traceId,
    spanId: `${traceId.slice(0, 14)}01`,
    name: 'analytics.userSummary',
    service: 'analytics',
    kind: 2,
    startMs: 1_000,
    durationMs: 10,
    status: 'unset',
    attributes: { 'rpc.system': 'trpc', 'db.query_count': 1 },
    events: [],
    ...overrides,
  };
}
const id = (n: number) => n.toString(16).padStart(32, '0');

describe('createTraceStore', () => {
  it('drops the oldest traces first once it holds more than maxTraces', () => {
    const store = createTraceStore({ maxTraces: 2, maxBytes: 1e9 });
    store.add([span(id(1))]);
    store.add([span(id(2))]);
    store.add([span(id(3))]);
    expect(store.get(id(1))).toBeUndefined();
    expect(store.get(id(2))).toHaveLength(1);
    expect(store.stats()).toMatchObject({ traces: 2, spans: 2 });
  });

  it('drops the oldest traces first once its spans pass maxBytes', () => {
    const size = JSON.stringify(span(id(1))).length;
    const store = createTraceStore({ maxTraces: 100, maxBytes: size * 2 });
    for (const n of [1, 2, 3]) store.add([span(id(n))]);
    expect(store.get(id(1))).toBeUndefined();
    expect(store.stats()).toMatchObject({ traces: 2, bytes: size * 2 });
  });

  it('gathers spans arriving in separate exports into one trace', () => {
    const store = createTraceStore({ maxTraces: 10, maxBytes: 1e9 });
    store.add([span(id(1))]);
    store.add([
      span(id(1), { spanId: 'aaaaaaaaaaaaaaaa', service: 'user-cache', name: 'user-cache.getUsers' }),
    ]);
    const [summary] = store.list().traces;
    expect(summary).toMatchObject({ spanCount: 2, services: ['analytics', 'user-cache'], queryCount: 2 });
  });

  it('filters by service, procedure, minimum duration and errors', () => {
    const store = createTraceStore({ maxTraces: 10, maxBytes: 1e9 });
    store.add([span(id(1), { durationMs: 5 })]);
    store.add([span(id(2), { service: 'user-cache', name: 'user-cache.getUsers', durationMs: 50 })]);
    store.add([span(id(3), { status: 'error', durationMs: 500 })]);
    const ids = (filter: Parameters<typeof store.list>[0]) =>
      store
        .list(filter)
        .traces.map((trace) => trace.traceId)
        .sort();
    expect(ids({ service: 'user-cache' })).toEqual([id(2)]);
    expect(ids({ procedure: 'userSummary' })).toEqual([id(1), id(3)]);
    expect(ids({ minDurationMs: 40 })).toEqual([id(2), id(3)]);
    expect(ids({ errorsOnly: true })).toEqual([id(3)]);
  });

  it('names a trace by its outermost procedure span, not the HTTP span around it', () => {
    const store = createTraceStore({ maxTraces: 10, maxBytes: 1e9 });
    const http = span(id(1), { spanId: '1111111111111111', name: 'GET', attributes: {} });
    const outer = span(id(1), { spanId: '2222222222222222', parentSpanId: http.spanId });
    const inner = span(id(1), {
      spanId: '3333333333333333',
      parentSpanId: outer.spanId,
      name: 'user-cache.getUsers',
      service: 'user-cache',
    });
    store.add([inner, outer, http]);
    expect(store.list().traces[0]).toMatchObject({
      procedure: 'analytics.userSummary',
      rootService: 'analytics',
    });
  });
});
