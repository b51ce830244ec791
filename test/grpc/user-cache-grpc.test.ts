import { grpcUrlOf } from '@mesh/grpc';
import { startTestService, type TestService } from '@mesh/testing';
import { buildUserCacheService } from '@mesh/user-cache';
import { readEnv } from '@mesh/user-cache/env';
import { migrations } from '@mesh/user-cache/migrations';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorReason,
  fieldViolations,
  type GrpcJsClient,
  grpc,
  grpcJsClient,
} from './support/grpc-js-client.js';

const SERVICE = 'mesh.user_cache.v1.UserCacheService';

describe('user-cache over gRPC (@grpc/grpc-js from proto/)', () => {
  let harness: TestService<UserCacheRouter>;
  let client: GrpcJsClient;

  beforeAll(async () => {
    harness = await startTestService({ migrations: [migrations], readEnv, build: buildUserCacheService });
    client = grpcJsClient(grpcUrlOf(harness.service), SERVICE, harness.token);
  });
  afterAll(async () => {
    client?.close();
    await harness?.[Symbol.asyncDispose]();
  });

  it('creates users, then reads them back with wallets, null for an unknown id', async () => {
    await expect(
      client.unary('UpsertUsers', {
        users: [
          {
            id: '7001',
            name: 'Alice',
            gender: 'GENDER_FEMALE',
            wallets: [{ currency: 'USDT', balance: '12.5' }],
          },
          { id: '7002', name: 'Bob' },
        ],
      }),
    ).resolves.toEqual({ users: 2, wallets: 1 });

    const answer = await client.unary('GetUsers', {
      ids: ['7001', '7002', '7999'],
      include: { wallets: true },
    });
    const users = answer.users as Array<{ user?: Record<string, unknown> }>;
    expect(users).toHaveLength(3);
    expect(users[0]?.user).toMatchObject({
      id: '7001',
      name: 'Alice',
      gender: 'GENDER_FEMALE',
      status: 'active',
    });
    expect(users[0]?.user?.wallets).toEqual([
      expect.objectContaining({
        currency: 'USDT',
        balance: '12.5',
        updatedAt: expect.objectContaining({ seconds: expect.any(String) }),
      }),
    ]);
    expect(users[1]?.user).toMatchObject({ id: '7002', name: 'Bob' });
    expect(users[1]?.user?.gender).toBeUndefined();
    expect(users[2]?.user).toBeUndefined();
  });

  it('answers bad input with INVALID_ARGUMENT naming each proto field', async () => {
    const error = await client.unary('GetUsers', { ids: ['0'] }).catch((caught: grpc.ServiceError) => caught);
    expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolations(error as grpc.ServiceError)).toEqual([
      { field: 'ids[0]', description: expect.any(String) },
    ]);
  });

  it('answers a domain error with its status and registry code', async () => {
    const error = (await client
      .unary('UpdateUser', { id: '7404', name: 'Nobody' })
      .catch((caught: grpc.ServiceError) => caught)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(errorReason(error)).toBe('USER_NOT_FOUND');
  });

  it('refuses a wrong token with UNAUTHENTICATED and no token at all the same way', async () => {
    for (const token of ['not-the-token', undefined]) {
      const stranger = grpcJsClient(grpcUrlOf(harness.service), SERVICE, token);
      const error = (await stranger
        .unary('GetUser', { id: '7001' })
        .catch((caught: grpc.ServiceError) => caught)) as grpc.ServiceError;
      stranger.close();
      expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    }
  });
});
