import type { AnyProcedure, AnyRouter, ProcedureType } from '@trpc/server';

/**
 * The only module that reads tRPC's `_def` internals. tRPC 11 exports `getErrorShape`,
 * `getTRPCErrorFromUnknown` and `callTRPCProcedure`, but nothing that looks a procedure up
 * synchronously or hands out a router's root config (transformer, error formatter), and the
 * fast path needs both: it decides before any await whether it can answer a request, and it
 * serialises with the router's own transformer. tRPC's own request handler reads the same
 * two fields. `trpc-internals.test.ts` fails if an upgrade moves them.
 */

/** A router's root config, as `getErrorShape` and tRPC's handlers take it. */
export type RouterConfig = AnyRouter['_def']['_config'];

/** The config the router was built with: its transformer, error formatter and `isDev`. */
export function routerConfig(router: AnyRouter): RouterConfig {
  return router._def._config;
}

/** A procedure of the router and its type. */
export interface ProcedureAtPath {
  procedure: AnyProcedure;
  type: ProcedureType;
}

/**
 * The procedure at a dotted path (`users.get`), or `undefined` when the router has none
 * loaded there. A lazy sub-router not yet loaded reads as none: the caller hands such a call
 * to tRPC's adapter, which loads it.
 */
export function procedureAt(router: AnyRouter, path: string): ProcedureAtPath | undefined {
  // tRPC keeps procedures in a null-prototype object, so `toString` or `__proto__` find nothing.
  const procedure = (router._def.procedures as Record<string, AnyProcedure | undefined>)[path];
  return procedure ? { procedure, type: procedure._def.type } : undefined;
}

/** Every loaded procedure of the router with its dotted path, in the router's own order. */
export function listProcedures(router: AnyRouter): Array<ProcedureAtPath & { path: string }> {
  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  return Object.entries(procedures).map(([path, procedure]) => ({
    path,
    procedure,
    type: procedure._def.type,
  }));
}

/** The parsers given to the procedure's `.input()` calls, in order (zod schemas here); none for no input. */
export function procedureInputs(procedure: AnyProcedure): readonly unknown[] {
  return (procedure._def as { inputs?: unknown[] }).inputs ?? [];
}

type Resolver = (options: Record<string, unknown>) => unknown;

/** The function given to `.query()` / `.mutation()`, for the cost bench's call without tRPC's chain. */
export function procedureResolver(procedure: AnyProcedure): Resolver {
  const resolver = (procedure._def as { resolver?: Resolver }).resolver;
  if (!resolver) throw new TypeError('tRPC procedure without a resolver in _def');
  return resolver;
}

/** What tRPC hands each middleware of a procedure call (`callRecursive`'s options). */
export interface MiddlewareOptions {
  ctx: unknown;
  path: string;
  type: ProcedureType;
  batchIndex: number;
  signal: AbortSignal | undefined;
  getRawInput: () => Promise<unknown>;
  meta: unknown;
  input: unknown;
  next(options?: { ctx?: unknown; input?: unknown; getRawInput?: () => Promise<unknown> }): Promise<unknown>;
}

type Middleware = (options: MiddlewareOptions) => Promise<unknown>;

/** The marker tRPC puts on a middleware's failed result. */
export { middlewareMarker as TRPC_MIDDLEWARE_MARKER } from '@trpc/server/unstable-core-do-not-import';

/** Whether the procedure was built with `experimental_caller`, which routes its calls elsewhere. */
export function hasCallerOverride(procedure: AnyProcedure): boolean {
  return Boolean((procedure._def as { experimental_caller?: unknown }).experimental_caller);
}

/**
 * A procedure's middleware chain as tRPC runs it (the kit's own, the input and output parsers,
 * the resolver last) and its meta.
 */
export function procedureMiddlewares(procedure: AnyProcedure): {
  middlewares: readonly Middleware[];
  meta: unknown;
} {
  const def = procedure._def as { middlewares?: Middleware[]; meta?: unknown };
  if (!def.middlewares) throw new TypeError('tRPC procedure without _def.middlewares');
  return { middlewares: def.middlewares, meta: def.meta };
}
