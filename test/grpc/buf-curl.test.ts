import { grpcUrlOf } from '@mesh/grpc';
import { startTestService, type TestService } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv } from '@mesh/user-cache/env';
import { migrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufCurl } from './support/buf-curl.js';

let harness: TestService<UserCacheRouter>;
let url: string;
const curl = bufCurl;

beforeAll(async () => {
  harness = await startTestService({ migrations: [migrations], readEnv, build: buildUserCacheService });
  url = grpcUrlOf(harness.service);
  await harness.service.createCaller().createUsers({ users: [{ id: 8001n, name: 'Carol' }] });
});
afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

describe('buf curl against the gRPC face, through reflection', () => {
  it('lists the service, health and reflection', async () => {
    const listed = await curl(['--list-services', url]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').sort()).toEqual([
      'grpc.health.v1.Health',
      'grpc.reflection.v1.ServerReflection',
      'grpc.reflection.v1alpha.ServerReflection',
      'mesh.user_cache.v1.UserCacheService',
    ]);
    const older = await curl(['--reflect-protocol', 'grpc-v1alpha', '--list-services', url]);
    expect(older.stdout).toContain('mesh.user_cache.v1.UserCacheService');
    const methods = await curl(['--list-methods', url]);
    expect(methods.stdout).toContain('mesh.user_cache.v1.UserCacheService/GetUsers');
  });

  it.each(['grpc', 'grpcweb', 'connect'])('calls GetUser over %s', async (protocol) => {
    const answer = await curl([
      '--protocol',
      protocol,
      '-H',
      `authorization: Bearer ${harness.token}`,
      '-d',
      '{"id": "8001"}',
      `${url}/mesh.user_cache.v1.UserCacheService/GetUser`,
    ]);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout)).toMatchObject({ user: { id: '8001', name: 'Carol' } });
  });

  it('gets UNAUTHENTICATED without the token', async () => {
    const answer = await curl([
      '--protocol',
      'grpc',
      '-d',
      '{"id": "8001"}',
      `${url}/mesh.user_cache.v1.UserCacheService/GetUser`,
    ]);
    expect(answer.code).not.toBe(0);
    expect(answer.stderr).toContain('unauthenticated');
  });

  it('answers Health/Check SERVING while Postgres and Redis answer', async () => {
    const answer = await curl(['--protocol', 'grpc', '-d', '{}', `${url}/grpc.health.v1.Health/Check`]);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout)).toEqual({ status: 'SERVING' });
  });
});
