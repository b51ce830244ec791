import { getErrorShape, initTRPC, lazy, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  hasCallerOverride,
  listProcedures,
  procedureAt,
  procedureInputs,
  procedureMiddlewares,
  procedureResolver,
  routerConfig,
} from './trpc-internals.js';

// A bare tRPC router, not the kit's: these tests pin what the module reads from tRPC itself,
// so a tRPC upgrade that moves `_def.procedures`, `_def._config`, `_def.inputs`,
// `_def.middlewares` or `_def.resolver` fails here.
const transformer = {
  input: { serialize: (value: unknown) => value, deserialize: (value: unknown) => ({ decoded: value }) },
  output: { serialize: (value: unknown) => ({ encoded: value }), deserialize: (value: unknown) => value },
};
const errorFormatter = ({ shape }: { shape: { message: string } }) => ({ ...shape, formattedBy: 'test' });
const t = initTRPC.create({ transformer, errorFormatter, isDev: false });
const idInput = z.object({ id: z.number() });

const appRouter = t.router({
  ping: t.procedure.query(() => 'pong'),
  users: t.router({
    get: t.procedure.input(idInput).query(({ input }) => ({ id: input.id })),
    rename: t.procedure.mutation(() => 'renamed'),
    changes: t.procedure.subscription(async function* () {
      yield 1;
    }),
  }),
  later: lazy(async () => t.router({ hello: t.procedure.query(() => 'hi') })),
});

describe('procedureAt', () => {
  it('finds a procedure by its dotted path with its type', () => {
    expect(procedureAt(appRouter, 'ping')?.type).toBe('query');
    expect(procedureAt(appRouter, 'users.get')?.type).toBe('query');
    expect(procedureAt(appRouter, 'users.rename')?.type).toBe('mutation');
    expect(procedureAt(appRouter, 'users.changes')?.type).toBe('subscription');
  });

  it('finds nothing at an unknown path, a sub-router or an Object.prototype name', () => {
    expect(procedureAt(appRouter, 'nope')).toBeUndefined();
    expect(procedureAt(appRouter, 'users')).toBeUndefined();
    expect(procedureAt(appRouter, 'toString')).toBeUndefined();
    expect(procedureAt(appRouter, '__proto__')).toBeUndefined();
  });

  it('finds a lazy router procedure only once tRPC has loaded it', async () => {
    const router = t.router({ later: lazy(async () => t.router({ hello: t.procedure.query(() => 'hi') })) });
    expect(procedureAt(router, 'later.hello')).toBeUndefined();
    await expect(t.createCallerFactory(router)({}).later.hello()).resolves.toBe('hi');
    expect(procedureAt(router, 'later.hello')?.type).toBe('query');
  });

  it('hands back a procedure that runs with the options tRPC handlers pass', async () => {
    const found = procedureAt(appRouter, 'users.get');
    const run = (input: unknown) =>
      found?.procedure({
        path: 'users.get',
        type: 'query',
        ctx: {},
        batchIndex: 0,
        signal: undefined,
        getRawInput: async () => input,
      });
    await expect(run({ id: 7 })).resolves.toEqual({ id: 7 });
    await expect(run({ id: 'seven' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('listProcedures', () => {
  it('lists every loaded procedure with its path and type', () => {
    const listed = listProcedures(appRouter).map(({ path, type }) => `${path}:${type}`);
    expect(listed.sort()).toEqual([
      'ping:query',
      'users.changes:subscription',
      'users.get:query',
      'users.rename:mutation',
    ]);
  });
});

describe('procedureInputs', () => {
  it("gives the parsers of a procedure's .input() calls, none when it takes no input", () => {
    const get = procedureAt(appRouter, 'users.get');
    const ping = procedureAt(appRouter, 'ping');
    expect(get && procedureInputs(get.procedure)).toEqual([idInput]);
    expect(ping && procedureInputs(ping.procedure)).toEqual([]);
  });
});

describe('routerConfig', () => {
  it('is the config the router was built with: its transformer and error formatter', () => {
    const config = routerConfig(appRouter);
    expect(config.transformer.input.deserialize('x')).toEqual({ decoded: 'x' });
    expect(config.transformer.output.serialize('y')).toEqual({ encoded: 'y' });
    expect(config.isDev).toBe(false);
  });

  it('is what getErrorShape takes to apply the router error formatter', () => {
    const shape = getErrorShape({
      config: routerConfig(appRouter),
      error: new TRPCError({ code: 'NOT_FOUND' }),
      type: 'query',
      path: 'ping',
      input: undefined,
      ctx: {},
    });
    expect(shape).toMatchObject({ formattedBy: 'test', data: { code: 'NOT_FOUND', httpStatus: 404 } });
  });
});

describe('procedureMiddlewares, procedureResolver and hasCallerOverride', () => {
  it("give a procedure's chain as tRPC runs it: its input parser, then its resolver", async () => {
    const get = procedureAt(appRouter, 'users.get');
    if (!get) throw new Error('users.get missing');
    const { middlewares } = procedureMiddlewares(get.procedure);
    expect(middlewares).toHaveLength(2);
    const resolved = await middlewares[1]?.({
      ctx: {},
      path: 'users.get',
      type: 'query',
      batchIndex: 0,
      signal: undefined,
      getRawInput: async () => ({ id: 7 }),
      meta: undefined,
      input: { id: 7 },
      next: async () => undefined,
    });
    expect(resolved).toMatchObject({ ok: true, data: { id: 7 } });
    expect(await procedureResolver(get.procedure)({ input: { id: 8 } })).toEqual({ id: 8 });
    expect(hasCallerOverride(get.procedure)).toBe(false);
  });
});
