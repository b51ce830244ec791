import { IngestionService, UserCacheService } from '@mesh/contracts';
import { listProcedures, procedure, procedureInputs, router } from '@mesh/kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compareContract, fieldNameOf, rpcNameOf } from './compare-contract.js';

const telegramId = z.bigint().positive();

/** A router that disagrees with mesh.user_cache.v1 in every way the check knows, and agrees once. */
const drifted = router({
  getUser: procedure.input(z.object({ id: z.string() })).query(() => null),
  getPartner: procedure.input(z.object({ chatId: telegramId.optional() })).query(() => null),
  pair: procedure.input(z.object({ chatId: telegramId, partnerID: telegramId })).mutation(() => null),
  unpair: procedure.input(z.object({ chatId: telegramId })).subscription(async function* () {}),
  createUsers: procedure
    .input(
      z.object({
        users: z.array(
          z.object({ id: telegramId, name: z.string(), gender: z.enum(['male', 'female']).optional() }),
        ),
      }),
    )
    .mutation(() => null),
  updateUser: procedure
    .input(
      z.object({
        id: telegramId,
        name: z.string(),
        gender: z.string().optional(),
        status: z.string().optional(),
      }),
    )
    .mutation(() => null),
  deleteUser: procedure.input(z.object({ id: telegramId })).mutation(() => null),
  getUsersWithPartners: procedure.input(z.object({ chatIds: z.array(telegramId).min(1) })).query(() => []),
});

const procedures = listProcedures(drifted).map(({ path, type, procedure }) => ({
  path,
  type,
  inputs: procedureInputs(procedure),
}));

describe('compareContract', () => {
  const problems = compareContract({
    service: UserCacheService,
    procedures,
    exclusions: [
      { rpc: 'GetUsers', reason: 'served by another route in this synthetic case' },
      { procedure: 'renamedLongAgo', reason: 'stale on purpose' },
    ],
  });

  it('names the mapping mechanically', () => {
    expect(rpcNameOf('getUsersWithPartners')).toBe('GetUsersWithPartners');
    expect(fieldNameOf('activeTraders24h')).toBe('active_traders24h');
  });

  it('reports a field whose types disagree', () => {
    expect(problems).toContain('UserCacheService.GetUser.id: zod string but proto INT64 (wants string)');
  });

  it('reports optionality that disagrees, both ways', () => {
    expect(problems).toContain(
      'UserCacheService.GetPartner.chatId: optional in zod but not `optional` in proto',
    );
    expect(problems).toContain('UserCacheService.UpdateUser.name: required in zod but `optional` in proto');
  });

  it('reports a field named differently on each side', () => {
    expect(problems).toContain(
      'UserCacheService.Pair.partnerID: no field partner_i_d in mesh.user_cache.v1.PairRequest',
    );
    expect(problems).toContain(
      'UserCacheService.Pair: mesh.user_cache.v1.PairRequest.partner_id has no input field',
    );
  });

  it('reports a zod string where the proto has an enum, and enum values that differ', () => {
    expect(problems).toContain(
      'UserCacheService.UpdateUser.gender: zod string but proto mesh.user_cache.v1.Gender (wants string)',
    );
    expect(problems).toContain(
      'UserCacheService.CreateUsers.users[].gender: enum mesh.user_cache.v1.Gender has GENDER_OTHER, zod has no such value',
    );
  });

  it('reports a subscription served by a unary RPC', () => {
    expect(problems).toContain(
      'UserCacheService.Unpair: subscription but the RPC is unary (wants server_streaming)',
    );
    expect(problems).toContain('UserCacheService.Unpair: a stream message needs `string event_id = 1`');
  });

  it('reports a procedure without an RPC and an RPC without a procedure, unless excluded', () => {
    expect(problems).toContain('UserCacheService: procedure deleteUser has no RPC DeleteUser');
    expect(problems).toContain('UserCacheService: RPC UpsertUsers has no procedure');
    expect(problems.filter((problem) => problem.includes('GetUsers '))).toEqual([]);
    expect(problems).toContain('UserCacheService: exclusion renamedLongAgo matches nothing');
  });

  it('finds nothing wrong with the procedure that matches', () => {
    expect(problems.filter((problem) => problem.includes('GetUsersWithPartners'))).toEqual([]);
  });

  it('finds nothing else', () => {
    expect(problems).toHaveLength(12);
  });
});

describe('compareContract on integer fields', () => {
  // mesh.ingestion.v1: ListChannelsRequest.limit and ListMessagesRequest.limit are int32.
  const numbers = router({
    listChannels: procedure.input(z.object({ limit: z.number().min(1).default(100) })).query(() => []),
    listMessages: procedure
      .input(
        z.object({
          channelId: telegramId,
          cursor: z.string().optional(),
          limit: z.number().int().min(1).default(50),
        }),
      )
      .query(() => null),
  });
  const problems = compareContract({
    service: IngestionService,
    procedures: listProcedures(numbers).map(({ path, type, procedure }) => ({
      path,
      type,
      inputs: procedureInputs(procedure),
    })),
  }).filter((problem) => !problem.includes('has no procedure'));

  it('reports a zod number that may hold a fraction against an int32 field', () => {
    expect(problems).toEqual([
      'IngestionService.ListChannels.limit: zod number without .int() but proto INT32 (wants double, or .int())',
    ]);
  });
});
