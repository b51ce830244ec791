import { PassThrough } from 'node:stream';
import { buildTraceExplorer, type TraceExplorer } from '@mesh/trace-explorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServices, startDemoServices } from '../demo/testing/start-demo-services.js';
import { readCliEnv } from '../env.js';
import { runCall } from './run-call.js';

let mesh: DemoServices;
let explorer: TraceExplorer;
let explorerUrl: string;
beforeAll(async () => {
  mesh = await startDemoServices();
  explorer = await buildTraceExplorer();
  explorerUrl = await explorer.listen(0, '127.0.0.1');
}, 120_000);
afterAll(async () => {
  await explorer?.close();
  await mesh?.[Symbol.asyncDispose]();
});

const portOf = (url: string) => new URL(url).port;

/** `mesh call <argv>` against the test mesh, as the command runs it; what it printed and its exit code. */
async function meshCall(...argv: string[]) {
  const env = readCliEnv({
    source: {
      MESH_SERVICE_TOKEN: mesh.token,
      INGESTION_PORT: portOf(mesh.urls.ingestion),
      USER_CACHE_PORT: portOf(mesh.urls.userCache),
      ANALYTICS_PORT: portOf(mesh.urls.analytics),
      BOT_CONTROL_PORT: portOf(mesh.urls.botControl),
      TRACE_EXPLORER_PORT: portOf(explorerUrl),
    },
  });
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    return { stream, text: () => text };
  };
  const stdout = capture();
  const stderr = capture();
  const code = await runCall(argv, {
    env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    tokenFile: '/nonexistent',
  });
  return { code, out: stdout.text(), err: stderr.text() };
}

function traceIdOf(err: string): string {
  const match = err.match(/trace: (http:\/\/\S+\/#\/trace\/([0-9a-f]{32}))/);
  expect(match?.[1]).toBeDefined();
  expect(match?.[1]?.startsWith(explorerUrl)).toBe(true);
  return match?.[2] as string;
}

describe('mesh call', () => {
  it('calls a procedure with BigInt input, prints the result with BigInt and Date marked, and links its trace', async () => {
    await meshCall(
      'user-cache.upsertUsers',
      '{"users":[{"id":"700000001n","name":"Ada","wallets":[{"currency":"USDT","balance":"12.5"}]}]}',
    );
    const { code, out, err } = await meshCall(
      'user-cache.getUsers',
      '{"ids":["700000001n","1n"],"include":{"wallets":true}}',
    );
    expect(code).toBe(0);
    const [ada, nobody] = JSON.parse(out);
    expect(ada).toMatchObject({
      id: '700000001n',
      name: 'Ada',
      wallets: [{ currency: 'USDT', balance: '12.5' }],
    });
    expect(ada.createdAt).toEqual({ $date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(nobody).toBeNull();
    const traceId = traceIdOf(err);
    const response = await fetch(`${explorerUrl}/api/traces/${traceId}`);
    expect(response.status).toBe(200);
    const { spans } = (await response.json()) as { spans: Array<{ name: string }> };
    expect(spans.map((span) => span.name)).toContain('mesh call user-cache.getUsers');
  });

  it('takes Date input, in a mutation and a query', async () => {
    const closedAt = '2026-03-01T10:00:00.000Z';
    const recorded = await meshCall(
      'analytics.recordTrades',
      JSON.stringify({
        trades: [
          {
            userId: '700000001n',
            asset: 'BTC/USDT',
            side: 'buy',
            quantity: '0.5',
            price: '97000',
            fee: '48.5',
            status: 'closed',
            pnl: '120',
            openedAt: { $date: '2026-03-01T09:00:00Z' },
            closedAt: { $date: closedAt },
          },
        ],
      }),
    );
    expect(recorded).toMatchObject({ code: 0 });
    expect(JSON.parse(recorded.out)).toEqual({ recorded: 1 });
    const revenue = await meshCall(
      'analytics.revenue',
      '{"from":{"$date":"2026-03-01T00:00:00Z"},"to":{"$date":"2026-03-02T00:00:00Z"},"bucket":"day"}',
    );
    expect(revenue.code).toBe(0);
    expect(JSON.parse(revenue.out)).toEqual([
      { bucket: { $date: '2026-03-01T00:00:00.000Z' }, revenue: '48.5', trades: 1 },
    ]);
  });

  it('answers bad input with the service BAD_REQUEST and its issues, exit 1, no stack trace', async () => {
    const { code, out, err } = await meshCall('user-cache.getUsers', '{"ids":[42]}');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('mesh call: user-cache.getUsers failed: BAD_REQUEST: invalid input');
    expect(err).toMatch(/^ {2}ids\.0: .+$/m);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('names the close procedures of an unknown one in one line, exit 2', async () => {
    const { code, err } = await meshCall('user-cache.getUserz', '{}');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual([
      'mesh call: user-cache has no procedure "getUserz"; did you mean user-cache.getUser, user-cache.getUsers?',
    ]);
    const service = await meshCall('users.getUsers');
    expect(service.code).toBe(2);
    expect(service.err).toContain(
      'no service "users"; the services are ingestion, user-cache, analytics, bot-control',
    );
  });

  it('refuses input that is not JSON, exit 2, before calling anything', async () => {
    const { code, err } = await meshCall('user-cache.getUsers', '{ids: [1]}');
    expect(code).toBe(2);
    expect(err).toContain('the input is not JSON');
    expect(err).not.toContain('trace:');
  });

  it('prints the events of a subscription as they arrive, up to --max', async () => {
    const { code, out } = await meshCall('analytics.onDashboard', '--max', '1');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ trades: expect.any(Number), volume: expect.any(String) });
  });

  it('lists every procedure of every service with its kind and input shape', async () => {
    const { code, out } = await meshCall('--list');
    expect(code).toBe(0);
    for (const service of ['ingestion', 'user-cache', 'analytics', 'bot-control']) {
      expect(out).toMatch(new RegExp(`^${service}  http://127\\.0\\.0\\.1:\\d+$`, 'm'));
    }
    expect(out).toMatch(
      /^ {2}query +getUsers +\{ ids: bigint\[\]\(1\.\.1000\), include\?: \{ wallets\?: boolean \} \}$/m,
    );
    expect(out).toMatch(/^ {2}mutation +recordTrades +\{ trades: .*openedAt\?: Date.*\}$/m);
    expect(out).toMatch(/^ {2}subscription +onCommand +\{ botId: uuid, lastEventId\?: string \}$/m);
    expect(out).toMatch(/^ {2}query +dashboardMetrics +\(no input\)$/m);
    expect(out).toMatch(/^ {2}query +tradeHistoryPage +\{ .*page\?: integer\(1\.\.\), /m);
  });
});
