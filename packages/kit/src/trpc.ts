import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { MeshContext } from './context.js';
import { formatError } from './error-formatter.js';
import { traceProcedure } from './trace-procedure.js';

const t = initTRPC.context<MeshContext>().create({
  transformer: superjson,
  errorFormatter: formatError,
  isDev: false,
});

const telemetry = t.middleware(({ ctx, path, type, next }) => traceProcedure({ ctx, path, type }, next));

/**
 * Tracing and the token check in one middleware: every middleware level costs a few object
 * spreads inside tRPC on each call, and these two always go together.
 */
const tracedWithToken = t.middleware(({ ctx, path, type, next }) =>
  traceProcedure({ ctx, path, type }, () => {
    if (!ctx.authorized) {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid service token' });
    }
    return next();
  }),
);

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
/** Traced and metered, but open: for the rare procedure that needs no token. */
export const publicProcedure = t.procedure.use(telemetry);
/** The default: traced, metered, and refused with UNAUTHORIZED without the service token. */
export const procedure = t.procedure.use(tracedWithToken);
