import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildBotControlService } from '@mesh/bot-control';
import { readEnv as readBotControlEnv } from '@mesh/bot-control/env';
import { migrations as botControlMigrations } from '@mesh/bot-control/migrations';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { grpcUrlOf } from '@mesh/grpc';
import { startTestService, TEST_TOKEN, type TestService } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv as readUserCacheEnv } from '@mesh/user-cache/env';
import { migrations as userCacheMigrations } from '@mesh/user-cache/migrations';
import type { AnyRouter } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const protoDir = here('../../proto');
// Debian's interpreter: python3-grpcio and python3-protobuf install for it, not for a pyenv one.
const PYTHON = '/usr/bin/python3';

let database: TestDatabase;
let stubs: string;
const services: TestService<AnyRouter>[] = [];

beforeAll(async () => {
  stubs = await mkdtemp(join(tmpdir(), 'mesh-python-stubs-'));
  await run('protoc', [
    `-I${protoDir}`,
    '-I/usr/include',
    `--python_out=${stubs}`,
    `--grpc_python_out=${stubs}`,
    '--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin',
    'mesh/options/v1/options.proto',
    'mesh/user_cache/v1/user_cache.proto',
    'mesh/bot_control/v1/bot_control.proto',
  ]);
  database = await createTestDatabase({ migrations: [userCacheMigrations, botControlMigrations] });
  const shared = { migrations: [], database };
  services.push(
    (await startTestService({ ...shared, readEnv: readUserCacheEnv, build: buildUserCacheService })) as never,
    (await startTestService({
      ...shared,
      readEnv: readBotControlEnv,
      build: buildBotControlService,
    })) as never,
  );
});

afterAll(async () => {
  for (const service of services.reverse()) await service[Symbol.asyncDispose]();
  await database?.drop();
  if (stubs) await rm(stubs, { recursive: true, force: true });
});

describe('a Python escrow bot (stubs from grpc_python_plugin, python3-grpcio)', () => {
  it('looks up a user with wallets, starts its bot and reads the command stream', async () => {
    const [userCache, botControl] = services as [TestService<AnyRouter>, TestService<AnyRouter>];
    await (userCache.service.createCaller() as { upsertUsers(input: unknown): Promise<unknown> }).upsertUsers(
      {
        users: [{ id: 9001n, name: 'Dana', wallets: [{ currency: 'USDT', balance: '250.75' }] }],
      },
    );
    const { stdout } = await run(
      PYTHON,
      [
        here('python/escrow_bot.py'),
        stubs,
        grpcUrlOf(userCache.service).replace('http://', ''),
        grpcUrlOf(botControl.service).replace('http://', ''),
        '9001',
        'escrow-python',
      ],
      { env: { ...process.env, MESH_SERVICE_TOKEN: TEST_TOKEN }, timeout: 30_000 },
    );
    const seen = JSON.parse(stdout);
    expect(seen.user).toEqual({ id: '9001', name: 'Dana', wallets: { USDT: '250.75' } });
    expect(seen.bad_input).toBe('INVALID_ARGUMENT');
    expect(seen.command).toEqual({
      event_id: seen.started_event_id,
      name: 'COMMAND_NAME_START',
      status: 'COMMAND_STATUS_PENDING',
      payload: {},
    });
  });
});
