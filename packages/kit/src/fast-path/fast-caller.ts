import type { AnyRouter } from '@trpc/server';
import type { MeshContext } from '../context.js';
import { procedureAt } from '../trpc-internals.js';
import { callProcedure } from './call-procedure.js';

type Caller<TRouter extends AnyRouter> = ReturnType<TRouter['createCaller']>;

/**
 * `router.createCaller(ctx)` for a service's own in-process callers (its tests, benches and
 * server-side code): the same proxy (`caller.users.get(input)`, no `then`, so it is never
 * taken for a promise), but a query or mutation runs through the fast path's
 * `callProcedure`, the procedure's own middlewares, input and output parsers and resolver in
 * tRPC's order without the two option spreads per middleware level of tRPC's `callRecursive`.
 * A subscription, or a path the router has no loaded procedure at (a lazy sub-router, a
 * typo), goes to tRPC's own caller, which answers it exactly as always (NOT_FOUND for a typo).
 */
export function createFastCaller<TRouter extends AnyRouter>(
  router: TRouter,
  ctx: MeshContext,
): Caller<TRouter> {
  let official: Caller<TRouter> | undefined;
  const officialAt = (path: readonly string[]) => {
    official ??= router.createCaller(ctx) as Caller<TRouter>;
    return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], official) as (
      ...args: unknown[]
    ) => unknown;
  };
  const nodes = new Map<string, unknown>();
  const nodeAt = (path: readonly string[]): unknown => {
    const dotted = path.join('.');
    const known = nodes.get(dotted);
    if (known) return known;
    const node = new Proxy(() => {}, {
      get: (_target, key) => (typeof key === 'string' && key !== 'then' ? nodeAt([...path, key]) : undefined),
      apply: (_target, _this, args: unknown[]) => {
        const found = procedureAt(router, dotted);
        if (!found || found.type === 'subscription') return officialAt(path)(...args);
        return callProcedure(found.procedure, {
          ctx,
          path: dotted,
          type: found.type,
          batchIndex: 0,
          input: args[0],
        });
      },
    });
    nodes.set(dotted, node);
    return node;
  };
  return nodeAt([]) as Caller<TRouter>;
}
