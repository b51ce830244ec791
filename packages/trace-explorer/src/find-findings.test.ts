import { describe, expect, it } from 'vitest';
import { findFindings } from './find-findings.js';
import { normalizeStatement, shortStatement } from './normalize-statement.js';
import type { StoredSpan } from './stored-span.js';

let next = 0;
const spanId = () => {
  next += 1;
  return next.toString(16).padStart(16, '0');
};
const TRACE = 'a'.repeat(32);

function span(overrides: Partial<StoredSpan> & { name: string; service: string }): StoredSpan {
  return {
    traceId: TRACE,
    spanId: spanId(),
    kind: 1,
    startMs: 0,
    durationMs: 1,
    status: 'unset',
    attributes: {},
    events: [],
    ...overrides,
  };
}
const procedure = (service: string, name: string, parent?: StoredSpan, extra: Partial<StoredSpan> = {}) =>
  span({
    service,
    name: `${service}.${name}`,
    parentSpanId: parent?.spanId,
    attributes: { 'rpc.system': 'trpc' },
    ...extra,
  });
const query = (parent: StoredSpan, text: string, at = 0) =>
  span({
    service: parent.service,
    name: 'pg.query:SELECT',
    kind: 3,
    parentSpanId: parent.spanId,
    startMs: at,
    attributes: { 'db.system.name': 'postgresql', 'db.query.text': text },
  });

/** A call from `caller` to a procedure of another service, as HTTP instrumentation nests it. */
function call(
  caller: StoredSpan,
  service: string,
  name: string,
  at: number,
  extra: Partial<StoredSpan> = {},
) {
  const client = span({
    service: caller.service,
    name: 'POST',
    kind: 3,
    parentSpanId: caller.spanId,
    startMs: at,
  });
  const server = span({ service, name: 'POST', kind: 2, parentSpanId: client.spanId, startMs: at });
  return [client, server, procedure(service, name, server, { startMs: at, ...extra })];
}

describe('normalizeStatement', () => {
  it('gives statements that differ only in their values one shape', () => {
    expect(normalizeStatement('SELECT name FROM users WHERE id = $1')).toBe(
      normalizeStatement('SELECT name FROM users WHERE id = 42'),
    );
    expect(normalizeStatement(`SELECT * FROM t WHERE id IN (1, 2, 3) AND n = 'x'`)).toBe(
      'SELECT * FROM t WHERE id IN (?) AND n = ?',
    );
    expect(normalizeStatement(`SELECT * FROM t WHERE id IN ($1,$2)`)).toBe('SELECT * FROM t WHERE id IN (?)');
    expect(normalizeStatement(`INSERT INTO m (a, b) VALUES ($1, $2), ($3, $4)`)).toBe(
      'INSERT INTO m (a, b) VALUES (?, ?)',
    );
    expect(normalizeStatement('SELECT t1.a FROM t1 -- note\n WHERE b = 2')).toBe(
      'SELECT t1.a FROM t1 WHERE b = ?',
    );
  });

  it('shortens a select list for a one-line label', () => {
    expect(shortStatement('SELECT "id", "name" FROM "users" WHERE "id" = $1')).toBe(
      'SELECT … FROM "users" WHERE "id" = $1',
    );
  });
});

describe('findFindings', () => {
  it('flags statements of one shape repeated under one span, at the threshold and not below', () => {
    const root = procedure('user-cache', 'namesOneByOne');
    const loop = Array.from({ length: 5 }, (_, i) => query(root, `SELECT name FROM users WHERE id = $1`, i));
    const [finding] = findFindings([root, ...loop]);
    expect(finding).toMatchObject({
      kind: 'n+1-query',
      spanId: root.spanId,
      count: 5,
      procedure: 'user-cache.namesOneByOne',
    });
    expect(finding?.label).toBe('SELECT … FROM users WHERE id = $1 × 5');
    expect(finding?.spanIds).toEqual(loop.map((s) => s.spanId));
    expect(findFindings([root, ...loop.slice(1)])).toEqual([]);
  });

  it('does not add up statements of different shapes or under different parents', () => {
    const a = procedure('analytics', 'a');
    const b = procedure('analytics', 'b');
    const spans = [
      a,
      b,
      ...[0, 1, 2].map((i) => query(a, 'SELECT 1 FROM x', i)),
      ...[0, 1, 2].map((i) => query(b, 'SELECT 1 FROM x', i)),
      query(a, 'SELECT 1 FROM y'),
      query(a, 'SELECT 1 FROM z'),
    ];
    expect(findFindings(spans)).toEqual([]);
  });

  it('does not flag a batched statement repeated per channel, nor the transaction around each', () => {
    const root = procedure('ingestion', 'syncMessages');
    const insert = `INSERT INTO messages (channel_id, message_id, text) SELECT $1::bigint, m.message_id, m.text
      FROM unnest($2::bigint[], $3::text[]) AS m(message_id, text) ON CONFLICT (channel_id, message_id) DO NOTHING`;
    const perChannel = Array.from({ length: 8 }, (_, i) => [
      query(root, 'BEGIN', i),
      query(root, insert, i),
      query(root, insert, i),
      query(root, 'COMMIT', i),
    ]).flat();
    const prismaIn = Array.from({ length: 6 }, (_, i) =>
      query(root, 'SELECT "t0"."id" FROM "users" AS "t0" WHERE "t0"."id" IN ($1,$2,$3)', i),
    );
    expect(findFindings([root, ...perChannel, ...prismaIn])).toEqual([]);
    const perMessage = Array.from({ length: 6 }, (_, i) =>
      query(root, 'INSERT INTO messages (channel_id, message_id, text) VALUES ($1, $2, $3)', i),
    );
    expect(findFindings([root, ...perChannel, ...perMessage])).toEqual([
      expect.objectContaining({ kind: 'n+1-query', count: 6, spanId: root.spanId }),
    ]);
  });

  it("does not flag a subscription's read per wake-up, but does flag a loop inside one message", () => {
    const stream = procedure('bot-control', 'onCommand');
    const wakeUps = Array.from({ length: 6 }, (_, i) =>
      query(stream, 'SELECT id, kind FROM bots.bot_commands WHERE bot_id = $1 AND id > $2', i * 3000),
    );
    const message = span({
      service: 'bot-control',
      name: 'bot-control.onCommand message',
      parentSpanId: stream.spanId,
    });
    expect(findFindings([stream, message, ...wakeUps])).toEqual([]);
    const perRow = Array.from({ length: 5 }, (_, i) =>
      query(message, 'SELECT name FROM bots.bots WHERE id = $1', i),
    );
    expect(findFindings([stream, message, ...wakeUps, ...perRow])).toEqual([
      expect.objectContaining({ kind: 'n+1-query', count: 5, spanId: message.spanId }),
    ]);
  });

  it('flags one procedure of another service called once per item, one round trip each', () => {
    const root = procedure('analytics', 'report');
    const calls = Array.from({ length: 6 }, (_, i) => call(root, 'user-cache', 'getUser', i)).flat();
    const [finding] = findFindings([root, ...calls]);
    expect(finding).toMatchObject({
      kind: 'n+1-call',
      spanId: root.spanId,
      count: 6,
      procedure: 'user-cache.getUser',
      label: 'user-cache.getUser × 6',
    });
  });

  it('flags calls over a websocket too, where the client span carries rpc.system and no HTTP span sits between', () => {
    const root = span({ service: 'demo-traffic', name: 'demo.naive-user-lookups' });
    const calls = Array.from({ length: 6 }, (_, i) => {
      const client = span({
        service: 'demo-traffic',
        name: 'query getUser',
        kind: 3,
        parentSpanId: root.spanId,
        startMs: i,
        attributes: { 'rpc.system': 'trpc', 'rpc.method': 'getUser' },
      });
      return [client, procedure('user-cache', 'getUser', client, { kind: 2, startMs: i })];
    });
    const [finding] = findFindings([root, ...calls.flat()]);
    expect(finding).toMatchObject({
      kind: 'n+1-call',
      spanId: root.spanId,
      count: 6,
      label: 'user-cache.getUser × 6',
      spanIds: calls.map(([client]) => client?.spanId),
    });
  });

  it('does not flag calls batched into one request', () => {
    const root = procedure('analytics', 'report');
    const [client, server] = call(root, 'user-cache', 'getUser', 0) as [StoredSpan, StoredSpan, StoredSpan];
    const batch = Array.from({ length: 6 }, () => procedure('user-cache', 'getUser', server));
    expect(findFindings([root, client, server, ...batch])).toEqual([]);
  });

  it('flags many separate misses on one cache namespace, not one lookup of many keys', () => {
    const miss = (keys: number) => ({
      name: 'cache.miss',
      offsetMs: 0,
      attributes: { 'cache.namespace': 'user', 'cache.keys': keys },
    });
    const root = procedure('analytics', 'report');
    const lookups = Array.from({ length: 10 }, (_, i) =>
      procedure('user-cache', 'getUser', root, { startMs: i, events: [miss(1)] }),
    );
    expect(findFindings([root, ...lookups], { queries: 5, calls: 100, cacheMisses: 10 })).toMatchObject([
      { kind: 'cache-miss-storm', spanId: root.spanId, count: 10, namespace: 'user' },
    ]);
    const batched = procedure('user-cache', 'getUsers', root, { events: [miss(100)] });
    expect(findFindings([root, batched])).toEqual([]);
  });

  it('flags work a webhook did before answering, and nothing when it answers first', () => {
    const webhook = () =>
      span({
        service: 'bot-control',
        name: 'POST',
        kind: 2,
        startMs: 0,
        durationMs: 30,
        attributes: { 'http.target': '/telegram/webhook' },
      });
    const answer = (parent: StoredSpan, at: number) =>
      span({
        service: 'bot-control',
        name: 'POST',
        kind: 3,
        parentSpanId: parent.spanId,
        startMs: at,
        durationMs: 2,
        attributes: { 'url.full': 'http://api/bot<redacted>/answerCallbackQuery' },
      });
    const redis = (parent: StoredSpan, at: number) =>
      span({
        service: 'bot-control',
        name: 'evalsha',
        kind: 3,
        parentSpanId: parent.spanId,
        startMs: at,
        attributes: { 'db.system': 'redis' },
      });

    const slow = webhook();
    const lookup = call(slow, 'user-cache', 'getUsers', 1);
    const late = [
      slow,
      ...lookup,
      query(slow, 'SELECT 1 FROM escrows', 5),
      answer(slow, 20),
      redis(slow, 25),
    ];
    expect(findFindings(late)).toMatchObject([
      { kind: 'slow-before-answer', spanId: slow.spanId, count: 2, totalMs: 20 },
    ]);

    const quick = webhook();
    expect(findFindings([quick, answer(quick, 1), redis(quick, 4)])).toEqual([]);
  });
});
