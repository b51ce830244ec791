import { Code } from '@connectrpc/connect';
import { BadRequestSchema, ErrorInfoSchema, UserCacheService } from '@mesh/contracts';
import { defineErrors } from '@mesh/kit';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { protoFieldPath, toConnectError } from './grpc-error.js';

const upsert = UserCacheService.method.upsertUsers.input;
const errors = defineErrors({
  CHAT_ALREADY_PAIRED: { code: 'CONFLICT', message: 'One of the two chats already has a partner' },
  USER_RATE_LIMITED: { code: 'TOO_MANY_REQUESTS', message: 'Too many reads' },
});

describe('tRPC errors as gRPC status', () => {
  it('gives bad input INVALID_ARGUMENT with one field violation per issue, by proto field path', () => {
    const parsed = z
      .object({ users: z.array(z.object({ createdAt: z.string() })) })
      .safeParse({ users: [{ createdAt: 1 }] });
    const error = toConnectError(
      new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error }),
      upsert,
      'user-cache',
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual([
      'users[0].created_at',
    ]);
  });

  it('gives a domain error its status and its registry code as ErrorInfo', () => {
    const conflict = toConnectError(errors.create('CHAT_ALREADY_PAIRED'), upsert, 'user-cache');
    expect(conflict.code).toBe(Code.Aborted);
    expect(conflict.findDetails(ErrorInfoSchema)[0]).toMatchObject({
      reason: 'CHAT_ALREADY_PAIRED',
      domain: 'user-cache',
    });
    expect(toConnectError(errors.create('USER_RATE_LIMITED'), upsert, 'user-cache').code).toBe(
      Code.ResourceExhausted,
    );
    expect(toConnectError(new TRPCError({ code: 'UNAUTHORIZED' }), upsert, 'x').code).toBe(
      Code.Unauthenticated,
    );
    expect(toConnectError(new TRPCError({ code: 'NOT_FOUND' }), upsert, 'x').code).toBe(Code.NotFound);
  });

  it('gives anything else a bare INTERNAL that says nothing of its cause', () => {
    const error = toConnectError(new Error('password=hunter2 at db.internal:5432'), upsert, 'user-cache');
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).toBe('Internal server error');
    expect(error.details).toEqual([]);
    expect(error.cause).toBeUndefined();
  });

  it('names fields the descriptor does not know in snake case', () => {
    expect(protoFieldPath(upsert, 'users.2.walletCount')).toBe('users[2].wallet_count');
    expect(protoFieldPath(upsert, '')).toBe('');
  });
});
