import { initTRPC, TRPCError } from '@trpc/server';
import type { MeshContext } from './context.js';
import { formatError } from './error-formatter.js';
import { traceProcedure } from './trace-procedure.js';
import { meshTransformer, traceCarrierOf } from './wire-transformer.js';

const t = initTRPC.context<MeshContext>().create({
  transformer: meshTransformer,
  errorFormatter: formatError,
  isDev: false,
});

/** A websocket call's own trace context travels beside its input; HTTP calls' in headers. */
async function callTrace(ctx: MeshContext, getRawInput: () => Promise<unknown>) {
  return ctx.transport === 'websocket' ? traceCarrierOf(await getRawInput()) : undefined;
}

const telemetry = t.middleware(async ({ ctx, path, type, next, getRawInput }) =>
  traceProcedure({ ctx, path, type, carrier: await callTrace(ctx, getRawInput) }, next),
);

/**
 * Tracing and the token check in one middleware: every middleware level costs a few object
 * spreads inside tRPC on each call, and these two always go together.
 */
const tracedWithToken = t.middleware(async ({ ctx, path, type, next, getRawInput }) =>
  traceProcedure({ ctx, path, type, carrier: await callTrace(ctx, getRawInput) }, () => {
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
