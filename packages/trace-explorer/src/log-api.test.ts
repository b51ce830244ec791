import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTraceExplorer, type TraceExplorer } from './build-trace-explorer.js';

let explorer: TraceExplorer;
beforeEach(async () => {
  explorer = await buildTraceExplorer({ maxLogs: 3 });
});
afterEach(() => explorer.close());

const TRACE = 'ab'.repeat(16);
const SPAN = 'cd'.repeat(8);
const str = (value: string) => ({ stringValue: value });

function logsBody(
  records: Array<{ body: string; severity?: number; traceId?: string; spanId?: string; at?: number }>,
  service = 'user-cache',
) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: str(service) }] },
        scopeLogs: [
          {
            logRecords: records.map((record, i) => ({
              timeUnixNano: String((record.at ?? 1_700_000_000_000 + i) * 1e6),
              severityNumber: record.severity ?? 9,
              body: str(record.body),
              attributes: [{ key: 'userId', value: { intValue: '7' } }],
              traceId: record.traceId ?? '',
              spanId: record.spanId ?? '',
            })),
          },
        ],
      },
    ],
  };
}

const post = (body: unknown, type = 'application/json') =>
  explorer.app.inject({
    method: 'POST',
    url: '/v1/logs',
    headers: { 'content-type': type },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = async (query: string) => (await explorer.app.inject(`/api/logs?${query}`)).json();

describe('POST /v1/logs and /api/logs', () => {
  it('stores OTLP log records and finds them by level, service, text, span and time', async () => {
    expect(
      (
        await post(
          logsBody([
            { body: 'cache warmed' },
            { body: 'slow lookup', severity: 13, traceId: TRACE, spanId: SPAN },
          ]),
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (await post(logsBody([{ body: 'bot answered', at: 1_800_000_000_000 }], 'bot-control'))).statusCode,
    ).toBe(200);

    expect((await get('level=warn')).logs.map((log: { message: string }) => log.message)).toEqual([
      'slow lookup',
    ]);
    expect((await get('service=bot-control')).logs).toHaveLength(1);
    expect((await get('q=WARMED')).logs.map((log: { message: string }) => log.message)).toEqual([
      'cache warmed',
    ]);
    expect((await get('q=userid')).matched).toBe(3);
    expect((await get(`traceId=${TRACE}&spanId=${SPAN}`)).logs).toMatchObject([
      {
        message: 'slow lookup',
        level: 'warn',
        service: 'user-cache',
        traceId: TRACE,
        spanId: SPAN,
        attributes: { userId: 7 },
      },
    ]);
    expect((await get('from=1750000000000')).logs.map((log: { message: string }) => log.message)).toEqual([
      'bot answered',
    ]);
  });

  it('keeps the newest records up to its bound, dropping the oldest first', async () => {
    await post(logsBody(['a', 'b', 'c', 'd', 'e'].map((body) => ({ body }))));
    expect((await get('')).logs.map((log: { message: string }) => log.message)).toEqual(['e', 'd', 'c']);
    expect(explorer.logs.stats()).toMatchObject({ logs: 3, received: 5 });
  });

  it.each([
    ['invalid JSON', '{"resourceLogs": [', 'application/json'],
    ['a bad trace id', logsBody([{ body: 'x', traceId: 'not-hex' }]), 'application/json'],
    [
      'a wrong shape',
      { resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 'loud' }] }] }] },
      'application/json',
    ],
    ['protobuf garbage', '\u00ff\u00ff\u00ff\u00ff', 'application/x-protobuf'],
  ])('refuses %s with 400 OTLP_MALFORMED and stores nothing of it', async (_name, body, type) => {
    await post(logsBody([{ body: 'kept' }]));
    const response = await post(body, type);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'OTLP_MALFORMED' });
    expect((await get('')).logs.map((log: { message: string }) => log.message)).toEqual(['kept']);
  });

  it('keeps no bot token in a record’s message or attributes', async () => {
    const url = 'https://api.telegram.org/bot123456:SECRET-token/sendMessage';
    const body: {
      resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ attributes: unknown[] }> }> }>;
    } = logsBody([{ body: `slow request ${url}` }]);
    body.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes.push({ key: 'url', value: str(url) });
    expect((await post(body)).statusCode).toBe(200);

    const [log] = (await get('')).logs;
    expect(log.message).toBe('slow request https://api.telegram.org/bot<redacted>/sendMessage');
    expect(log.attributes.url).toBe('https://api.telegram.org/bot<redacted>/sendMessage');
    expect(JSON.stringify(await get('text=SECRET'))).not.toContain('SECRET');
  });

  it('refuses a bad search with 400 BAD_QUERY', async () => {
    const response = await explorer.app.inject('/api/logs?level=loud');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'BAD_QUERY' });
  });
});
