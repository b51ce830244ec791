import { z } from 'zod';
import { procedure, router } from '../trpc.js';

/** The router of the signal fixture: one slow mutation to be in flight during shutdown. */
export const signalFixtureRouter = router({
  slow: procedure.input(z.object({ ms: z.number().int().max(5000) })).mutation(async ({ input }) => {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return { waited: input.ms };
  }),
});

export type SignalFixtureRouter = typeof signalFixtureRouter;
