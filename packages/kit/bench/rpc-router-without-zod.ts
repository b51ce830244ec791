import { procedure, router } from '@mesh/kit';

/**
 * The rpc suite's `ping` with a plain function as its input parser instead of zod: the cost
 * suite's server without zod. It checks what the schema checks, so answers stay the same.
 */
export const rpcRouterWithoutZod = router({
  ping: procedure
    .input((value: unknown): { n: number } => {
      const n = (value as { n?: unknown } | null)?.n;
      if (typeof n !== 'number') throw new TypeError('n must be a number');
      return { n };
    })
    .query(({ input }) => ({ n: input.n + 1 })),
});
