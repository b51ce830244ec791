import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { defineErrors } from '../mesh-error.js';
import { procedure, publicProcedure, router } from '../trpc.js';

const errors = defineErrors({ WIDGET_MISSING: { code: 'NOT_FOUND', message: 'No such widget' } });

/** One router exercising every answer shape the fast path must reproduce. */
export const conformanceRouter = router({
  echo: procedure
    .input(z.object({ id: z.bigint(), at: z.date(), note: z.string().max(5).optional() }))
    .query(({ input }) => ({ ...input, next: input.id + 1n, seen: new Date(input.at.getTime() + 1000) })),
  noInput: procedure.query(() => ({ ok: true, when: new Date(0) })),
  nothing: procedure.query(() => undefined),
  save: procedure
    .input(z.object({ name: z.string().min(1) }))
    .mutation(({ input }) => ({ saved: input.name })),
  missing: procedure.input(z.object({ id: z.number() })).query(({ input }) => {
    throw errors.create('WIDGET_MISSING', { detail: String(input.id) });
  }),
  conflict: procedure.mutation(() => {
    throw new TRPCError({ code: 'CONFLICT', message: 'already there' });
  }),
  crash: procedure.query(() => {
    throw new Error('secret connection string postgres://u:p@h/db');
  }),
  badOutput: procedure
    .output(z.object({ n: z.number() }))
    .query(() => ({ n: 'not a number' }) as unknown as { n: number }),
  open: publicProcedure.query(() => 'open'),
  ticks: procedure.input(z.object({ count: z.number().int().max(5) })).subscription(async function* ({
    input,
  }) {
    for (let tick = 1; tick <= input.count; tick++) yield { tick, at: new Date(tick) };
  }),
});

export type ConformanceRouter = typeof conformanceRouter;
