import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { buildTraceExplorer, type TraceExplorer } from '@mesh/trace-explorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type SpawnedService, spawnService } from './support/spawn-service.js';

// Two real service processes (support/keep-rule-service.ts): the test calls the front, the
// front calls the back over HTTP or a websocket. Both sample as deployed, but with a ratio of
// 0, so no trace is picked by a head sampler and what reaches the explorer is the keep
// rule's doing (or a caller's sampled flag followed).
const token = randomBytes(24).toString('hex');
const FRONT = 'keep-front';
const BACK = 'keep-back';
const TEST_SPAN_ID = '00f067aa0ba902b7';
let explorer: TraceExplorer;
let front: SpawnedService;
let back: SpawnedService;

beforeAll(async () => {
  explorer = await buildTraceExplorer();
  const explorerUrl = await explorer.listen(0);
  const shared = {
    MESH_SERVICE_TOKEN: token,
    OTEL_EXPORTER_OTLP_ENDPOINT: explorerUrl,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0',
    MESH_TRACE_KEEP_SLOW_MS: '300',
    KEEP_SLOW_WORK_MS: '400',
    LOG_LEVEL: 'warn',
  };
  const [backPort, frontPort] = [await freePort(), await freePort()];
  back = await spawnService({
    entry: 'test/e2e/support/keep-rule-service.ts',
    port: backPort,
    env: { ...shared, KEEP_SERVICE_NAME: BACK, KEEP_PORT: String(backPort) },
  });
  front = await spawnService({
    entry: 'test/e2e/support/keep-rule-service.ts',
    port: frontPort,
    env: { ...shared, KEEP_SERVICE_NAME: FRONT, KEEP_PORT: String(frontPort), KEEP_PEER_URL: back.url },
  });
  // The front's websocket opens on its first call, which goes over HTTP meanwhile.
  for (let i = 0; i < 5; i++) {
    await call({ outcome: 'ok', via: 'websocket', tag: 'warm-up' }, { sampled: false });
    await delay(100);
  }
}, 120_000);

afterAll(async () => {
  await front?.[Symbol.asyncDispose]();
  await back?.[Symbol.asyncDispose]();
  await explorer?.close();
});

type Outcome = 'ok' | 'fail' | 'slow' | 'handled-error' | 'caught';
type Via = 'http' | 'websocket';

/**
 * Calls the front as a caller in another process would: with a `traceparent` of a fresh
 * trace (`sampled` says the flag), or with none (`sampled: undefined`), leaving the
 * decision to the front's own head sampler. Returns the trace id sent, if any.
 */
async function call(
  input: { outcome: Outcome; via: Via; tag: string },
  { sampled }: { sampled: boolean | undefined },
): Promise<{ traceId: string | undefined; status: number }> {
  const traceId = sampled === undefined ? undefined : randomBytes(16).toString('hex');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (traceId) headers.traceparent = `00-${traceId}-${TEST_SPAN_ID}-${sampled ? '01' : '00'}`;
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(`${front.url}/trpc/work?input=${query}`, { headers });
  await response.arrayBuffer();
  return { traceId, status: response.status };
}

const spansOf = (traceId: string) => explorer.store.get(traceId) ?? [];

/** Whether both services' procedure spans of the trace have arrived. */
const complete = (traceId: string) => {
  const names = new Set(spansOf(traceId).map((span) => span.name));
  return names.has(`${FRONT}.work`) && names.has(`${BACK}.work`);
};

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
  await delay(300); // let the rest of those exports land too
}

/** Every span's parent is in the trace, but the root's, which is the caller's span in the test. */
function holes(traceId: string): string[] {
  const spans = spansOf(traceId);
  const ids = new Set(spans.map((span) => span.spanId));
  return spans
    .filter((span) => span.parentSpanId && span.parentSpanId !== TEST_SPAN_ID && !ids.has(span.parentSpanId))
    .map((span) => `${span.service}:${span.name}`);
}

/** The names of the spans from `from` (excluded) up to `to` (excluded), or throws if not an ancestor. */
function pathBetween(traceId: string, from: string | undefined, to: string | undefined): string[] {
  const byId = new Map(spansOf(traceId).map((span) => [span.spanId, span]));
  const names: string[] = [];
  for (let span = byId.get(from ?? ''); span?.parentSpanId !== to; ) {
    span = byId.get(span?.parentSpanId ?? '');
    if (!span) throw new Error(`${to} is not an ancestor of ${from} in ${traceId}`);
    names.push(span.name);
  }
  return names;
}

describe.each(['http', 'websocket'] as const)('the keep rule, the front calling the back over %s', (via) => {
  it('sends every dropped trace that failed, ran late or handled an error to the explorer, whole, and no ordinary one', async () => {
    const ordinary = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call({ outcome: 'ok', via, tag: `ok-${i}` }, { sampled: false })),
    );
    const kept: Record<Exclude<Outcome, 'ok'>, Array<{ traceId: string | undefined; status: number }>> = {
      fail: [],
      slow: [],
      'handled-error': [],
      caught: [],
    };
    for (const outcome of Object.keys(kept) as Array<keyof typeof kept>) {
      kept[outcome] = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          call({ outcome, via, tag: `${outcome}-${i}` }, { sampled: false }),
        ),
      );
    }
    expect(kept.fail.every((result) => result.status >= 400)).toBe(true);
    expect(kept.slow.every((result) => result.status === 200)).toBe(true);

    const keptIds = Object.values(kept).flatMap((results) =>
      results.map((result) => result.traceId as string),
    );
    await waitFor(() => keptIds.every(complete), 'the kept traces');
    for (const traceId of keptIds) {
      expect(holes(traceId), traceId).toEqual([]);
      const backWork = spansOf(traceId).find((span) => span.name === `${BACK}.work`);
      const frontWork = spansOf(traceId).find((span) => span.name === `${FRONT}.work`);
      // Over a websocket the call's trace context travels beside its input: between the two
      // procedure spans there is no HTTP request (over HTTP, the client and server spans).
      const between = pathBetween(traceId, backWork?.spanId, frontWork?.spanId);
      const http = between.filter((name) => name === 'GET' || name === 'POST');
      expect(http.length > 0, between.join(' < ')).toBe(via === 'http');
    }
    const keptBy = (outcome: keyof typeof kept, service: string) =>
      kept[outcome].map(({ traceId }) => {
        const spans = spansOf(traceId as string).filter((span) => span.service === service);
        return spans.find((span) => span.attributes['mesh.trace.kept_by'])?.attributes['mesh.trace.kept_by'];
      });
    expect(keptBy('slow', BACK)).toEqual(Array(5).fill('slow'));
    // The back's part was kept for an error it got over; only its word keeps the front's.
    expect(keptBy('handled-error', BACK)).toEqual(Array(5).fill('error'));
    expect(keptBy('handled-error', FRONT)).toEqual(Array(5).fill('peer'));
    expect(new Set(keptBy('caught', FRONT))).not.toContain(undefined);

    // The ordinary traces were dropped before the kept ones were exported, in both processes.
    expect(ordinary.map(({ traceId }) => spansOf(traceId as string).length)).toEqual(Array(10).fill(0));
  });

  it('follows a caller’s sampled flag into both services, and its unsampled flag too', async () => {
    const sampled = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        call({ outcome: 'ok', via, tag: `sampled-${i}` }, { sampled: true }),
      ),
    );
    const unsampled = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        call({ outcome: 'ok', via, tag: `unsampled-${i}` }, { sampled: false }),
      ),
    );
    const closing = await call({ outcome: 'fail', via, tag: 'closing' }, { sampled: false });
    await waitFor(
      () => [...sampled, closing].every(({ traceId }) => complete(traceId as string)),
      'the sampled traces',
    );
    for (const { traceId } of sampled) {
      expect(holes(traceId as string)).toEqual([]);
      expect(spansOf(traceId as string).some((span) => span.attributes['mesh.trace.kept_by'])).toBe(false);
    }
    expect(unsampled.map(({ traceId }) => spansOf(traceId as string).length)).toEqual([0, 0, 0]);
  });

  it('keeps a trace the front’s own head sampler started and dropped, when it fails or runs late', async () => {
    const tag = (outcome: string) => `root-${via}-${outcome}-${randomBytes(4).toString('hex')}`;
    const tags = { ok: tag('ok'), fail: tag('fail'), slow: tag('slow') };
    await call({ outcome: 'ok', via, tag: tags.ok }, { sampled: undefined });
    await call({ outcome: 'fail', via, tag: tags.fail }, { sampled: undefined });
    await call({ outcome: 'slow', via, tag: tags.slow }, { sampled: undefined });
    const traceOf = (value: string) =>
      explorer.store.list({ attribute: { key: 'keep.tag', value } }).traces[0]?.traceId;
    await waitFor(
      () => [tags.fail, tags.slow].every((value) => complete(traceOf(value) ?? '')),
      'root traces',
    );
    for (const value of [tags.fail, tags.slow]) {
      const traceId = traceOf(value) as string;
      const roots = spansOf(traceId).filter((span) => !span.parentSpanId);
      expect(roots.map((span) => span.service)).toEqual([FRONT]);
      expect(holes(traceId)).toEqual([]);
    }
    expect(traceOf(tags.ok)).toBeUndefined();
  });
});
