import { procedure, router } from '@mesh/kit';
import { z } from 'zod';

/** The trivial procedure the rpc suite calls: the mesh's per-call cost with no work behind it. */
export const rpcRouter = router({
  ping: procedure.input(z.object({ n: z.number() })).query(({ input }) => ({ n: input.n + 1 })),
});

export type RpcRouter = typeof rpcRouter;
