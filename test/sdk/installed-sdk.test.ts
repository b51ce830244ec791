// The SDK as another repository gets it: packed, installed into a project outside this one, then
// typechecked, called from Node, bundled into a browser page, and used by a grammY bot.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildAnalyticsService } from '@mesh/analytics';
import { readEnv as readAnalyticsEnv } from '@mesh/analytics/env';
import { migrations as analyticsMigrations } from '@mesh/analytics/migrations';
import type { AnalyticsRouter } from '@mesh/analytics/router';
import { buildBotControlService } from '@mesh/bot-control';
import { readEnv as readBotControlEnv } from '@mesh/bot-control/env';
import { migrations as botControlMigrations } from '@mesh/bot-control/migrations';
import type { BotControlRouter } from '@mesh/bot-control/router';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import type { MeshService } from '@mesh/kit';
import { createMeshClient, type MeshClient } from '@mesh/sdk';
import { type FakeTelegram, startFakeTelegram, startTestService, type TestService } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv as readUserCacheEnv } from '@mesh/user-cache/env';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import type { AnyRouter } from '@trpc/server';
import { build } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBrowser } from '../e2e/support/open-browser.js';
import { type InstalledSdk, installPackedSdk } from './support/install-packed-sdk.js';
import { type FileServer, serveFiles } from './support/serve-files.js';

const run = promisify(execFile);
const node = process.execPath;
const tsc = join(import.meta.dirname, '../../node_modules/typescript/bin/tsc');
const BOT_TOKEN = '123456:escrow-test-token';
const WEBHOOK_SECRET = 'escrow-webhook-secret';

/** What reached the fakes and the services, in arrival order (one process, one sequence). */
const arrivals: Array<{ at: 'telegram' | 'mesh'; what: string }> = [];

/** Records every request a service gets (calls and websocket upgrades) before it is handled. */
function recorded<TEnv, TRouter extends AnyRouter>(
  name: string,
  buildService: (env: TEnv) => Promise<MeshService<TRouter>>,
) {
  return async (env: TEnv) => {
    const service = await buildService(env);
    service.app.addHook('onRequest', (request, _reply, done) => {
      arrivals.push({ at: 'mesh', what: `${name} ${request.url}` });
      done();
    });
    return service;
  };
}

let installed: InstalledSdk;
let database: TestDatabase;
let pageHost: FileServer;
let pageFiles: Record<string, { type: string; body: string }>;
let userCache: TestService<UserCacheRouter>;
let analytics: TestService<AnalyticsRouter>;
let botControl: TestService<BotControlRouter>;
let mesh: MeshClient;

beforeAll(async () => {
  [installed, database] = await Promise.all([
    installPackedSdk(),
    createTestDatabase({ migrations: [userCacheMigrations, analyticsMigrations, botControlMigrations] }),
  ]);
  pageFiles = {};
  pageHost = await serveFiles(pageFiles);
  const shared = { migrations: [], database };
  userCache = await startTestService({
    ...shared,
    readEnv: readUserCacheEnv,
    build: recorded('user-cache', buildUserCacheService),
  });
  analytics = await startTestService({
    ...shared,
    readEnv: readAnalyticsEnv,
    build: recorded('analytics', buildAnalyticsService),
    env: { USER_CACHE_URL: userCache.url, CORS_ORIGINS: pageHost.origin },
  });
  botControl = await startTestService({
    ...shared,
    readEnv: readBotControlEnv,
    build: recorded('bot-control', (env) => buildBotControlService(env)),
    env: { USER_CACHE_URL: userCache.url, BOT_JOBS_PREFIX: `${database.name}:jobs` },
  });
  mesh = createMeshClient({
    token: userCache.token,
    urls: { userCache: userCache.url, analytics: analytics.url, botControl: botControl.url },
  });
}, 240_000);

afterAll(async () => {
  await mesh?.close();
  await botControl?.[Symbol.asyncDispose]();
  await analytics?.[Symbol.asyncDispose]();
  await userCache?.[Symbol.asyncDispose]();
  await pageHost?.[Symbol.asyncDispose]();
  await database?.drop();
  await installed?.[Symbol.asyncDispose]();
});

describe('the packed SDK', () => {
  it('holds compiled ESM and declarations only, and depends on registry packages only', () => {
    expect(installed.files).toEqual(
      [
        'CHANGELOG.md',
        'README.md',
        'grammy.d.ts',
        'grammy.js',
        'index.browser.js',
        'index.d.ts',
        'index.js',
        'package.json',
      ].map((file) => `package/${file}`),
    );
    const sdk = join(installed.project, 'node_modules/@mesh/sdk');
    const manifest = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@mesh/'))).toEqual([]);
    const declarations = readFileSync(join(sdk, 'index.d.ts'), 'utf8');
    expect(declarations).not.toMatch(/prisma|from '@mesh\/|import\(/i);
    expect(declarations.match(/from '[^']+'/g)?.sort()).toEqual([
      "from '@trpc/client'",
      "from '@trpc/server'",
    ]);
    // With the library check on (the consumer's tsconfig skips it, as apps do): every name resolves.
    const program = ts.createProgram({
      rootNames: [join(sdk, 'index.d.ts')],
      options: {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        types: [],
        lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
      },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('typechecks a consumer outside the repository, a wrong input field being a compile error', async () => {
    writeFileSync(
      join(installed.project, 'src/consumer.ts'),
      `import { createMeshClient } from '@mesh/sdk';

const mesh = createMeshClient({ token: 'consumer-token-0123456789' });
const [user] = await mesh.userCache.getUsers.query({ ids: [1n], include: { wallets: true } });
if (user) {
  const id: bigint = user.id;
  const since: Date = user.createdAt;
  const balance: string | undefined = user.wallets?.[0]?.balance;
  console.log(id, since, balance);
  // @ts-expect-error a user has no email
  console.log(user.email);
}
// @ts-expect-error the field is \`ids\`
await mesh.userCache.getUsers.query({ idz: [1n] });
mesh.botControl.onCommand.subscribe(
  { botId: 'b1' },
  { onData: ({ id, data }) => console.log(id, data.seq satisfies bigint, data.command satisfies 'START' | 'STOP' | 'RESTART' | 'CONFIG') },
);
`,
    );
    // The bot, the dashboard page and this consumer, in one pass of the project's tsconfig.
    const result = await run(node, [tsc, '-p', 'tsconfig.json'], { cwd: installed.project }).catch(
      (error: { stdout: string }) => error,
    );
    expect(result.stdout).toBe('');
  });

  it('calls a real service from Node, with BigInt and Date as they were', async () => {
    await mesh.userCache.upsertUsers.mutate({
      users: [{ id: 31n, name: 'Ada', wallets: [{ currency: 'USDT', balance: '12.5' }] }],
    });
    const script = join(installed.project, 'call.mjs');
    writeFileSync(
      script,
      `import { createMeshClient } from '@mesh/sdk';
const mesh = createMeshClient({ token: process.env.TOKEN, urls: { userCache: process.env.URL } });
const [user] = await mesh.userCache.getUsers.query({ ids: [31n], include: { wallets: true } });
console.log(JSON.stringify({ id: typeof user.id, createdAt: user.createdAt instanceof Date, name: user.name, wallets: user.wallets }));
await mesh.close();
`,
    );
    const { stdout } = await run(node, [script], {
      cwd: installed.project,
      env: { ...process.env, TOKEN: userCache.token, URL: userCache.url },
    });
    expect(JSON.parse(stdout)).toMatchObject({
      id: 'bigint',
      createdAt: true,
      name: 'Ada',
      wallets: [{ currency: 'USDT', balance: '12.5' }],
    });
  });
});

describe('the packed SDK in a browser', () => {
  it('bundles with no Node module, reads dashboardMetrics and follows onDashboard in Chromium', async () => {
    const bundle = await build({
      absWorkingDir: installed.project,
      entryPoints: ['src/dashboard.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      metafile: true,
    });
    const script = bundle.outputFiles[0]?.text ?? '';
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.filter((input) => /node_modules\/(ws|@types\/node)\/|^node:/.test(input))).toEqual([]);
    expect(inputs).toContainEqual(expect.stringContaining('node_modules/@mesh/sdk/index.browser.js'));
    console.log(`dashboard bundle: ${script.length} bytes minified (${inputs.length} inputs)`);
    pageFiles['/'] = { type: 'text/html', body: readFileSync(join(installed.project, 'index.html'), 'utf8') };
    pageFiles['/dashboard.js'] = { type: 'text/javascript', body: script };

    await mesh.userCache.upsertUsers.mutate({ users: [{ id: 51n, name: 'Lin' }] });
    await mesh.analytics.recordTrades.mutate({
      trades: [{ userId: 51n, asset: 'BTC/USDT', side: 'buy', quantity: '1', price: '100' }],
    });

    await using opened = await openBrowser();
    const page = await opened.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // What the dashboard's host puts in the page before its script runs.
    const config = { token: analytics.token, analyticsUrl: analytics.url };
    await page.addInitScript(`window.meshDashboard = ${JSON.stringify(config)};`);
    await page.goto(pageHost.origin);
    await page.waitForSelector('body[data-state="loaded"]', { timeout: 15_000 });
    expect(await page.textContent('[data-metric="trades"]')).toBe('1');
    await page.waitForSelector('body[data-updates]', { timeout: 15_000 });

    await mesh.analytics.recordTrades.mutate({
      trades: [{ userId: 51n, asset: 'ETH/USDT', side: 'sell', quantity: '2', price: '10' }],
    });
    await page.waitForSelector('[data-metric="trades"]:text-is("2")', { timeout: 15_000 });
    expect(await page.getAttribute('body', 'data-error')).toBeNull();
    expect(problems).toEqual([]);
  });
});

describe('the escrow bot on the packed SDK', () => {
  let telegram: FakeTelegram;
  let bot: ChildProcess;
  let webhook: string;

  beforeAll(async () => {
    telegram = await startFakeTelegram(BOT_TOKEN);
    telegram.onCall = (call) => arrivals.push({ at: 'telegram', what: call.method });
    bot = spawn(node, ['src/main.ts'], {
      cwd: installed.project,
      env: {
        ...process.env,
        PORT: '0',
        BOT_TOKEN,
        WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        MESH_SERVICE_TOKEN: userCache.token,
        USER_CACHE_URL: userCache.url,
        BOT_CONTROL_URL: botControl.url,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<string>((resolve, reject) => {
      bot.once('exit', (code) => reject(new Error(`escrow-bot exited with ${code}`)));
      bot.stdout?.on('data', (chunk: Buffer) => {
        const listening = /listening on (\d+)/.exec(String(chunk));
        if (listening?.[1]) resolve(listening[1]);
      });
    });
    webhook = `http://127.0.0.1:${port}/`;
  }, 60_000);

  afterAll(async () => {
    bot?.kill('SIGTERM');
    await telegram?.[Symbol.asyncDispose]();
  });

  let updateId = 0;
  async function pressButton(data: string, fromId: number) {
    updateId += 1;
    const update = {
      update_id: updateId,
      callback_query: {
        id: `query-${updateId}`,
        chat_instance: 'escrow-chat',
        data,
        from: { id: fromId, is_bot: false, first_name: 'Tester' },
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: fromId, type: 'private' },
          text: 'What shall we do?',
        },
      },
    };
    const answer = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
    expect(answer.status).toBe(200);
  }

  const sent = () =>
    telegram.calls.filter((call) => call.method === 'sendMessage').map((call) => call.body.text);

  it('answers a button press before any mesh call, then shows the user and their wallets from one call', async () => {
    await mesh.userCache.upsertUsers.mutate({
      users: [
        {
          id: 4242n,
          name: 'Grace',
          wallets: [
            { currency: 'BTC', balance: '0.5' },
            { currency: 'USDT', balance: '120' },
          ],
        },
      ],
    });
    arrivals.length = 0;
    await pressButton('wallets', 4242);
    await vi.waitFor(() => expect(sent()).toHaveLength(1), { timeout: 10_000 });

    expect(sent()[0]).toMatch(/^Grace: /);
    expect(sent()[0]).toContain('0.5 BTC');
    expect(sent()[0]).toContain('120 USDT');
    const answered = arrivals.findIndex((arrival) => arrival.what === 'answerCallbackQuery');
    const firstMeshRequest = arrivals.findIndex((arrival) => arrival.at === 'mesh');
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(firstMeshRequest, JSON.stringify(arrivals)).toBeGreaterThan(answered);
    expect(arrivals.filter((arrival) => arrival.what.includes('getUsers'))).toHaveLength(1);
    expect(telegram.calls.find((call) => call.method === 'answerCallbackQuery')?.body).toMatchObject({
      callback_query_id: 'query-1',
    });
  });

  it('starts a bot through bot-control and reports the command its stream delivers', async () => {
    arrivals.length = 0;
    await pressButton('start-bot', 4242);
    await vi.waitFor(() => expect(sent()).toHaveLength(2), { timeout: 15_000 });

    expect(sent()[1]).toMatch(/^escrow-4242: START is queued as command #1$/);
    const answered = arrivals.findIndex((arrival) => arrival.what === 'answerCallbackQuery');
    expect(arrivals.findIndex((arrival) => arrival.at === 'mesh')).toBeGreaterThan(answered);
    expect(telegram.calls.filter((call) => call.method === 'answerCallbackQuery')).toHaveLength(2);
  });
});
