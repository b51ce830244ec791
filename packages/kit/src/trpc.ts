import { inputSizeOf, meshTransformer, traceCarrierOf } from '@mesh/wire';
import { initTRPC, TRPCError } from '@trpc/server';
import type { MeshContext } from './context.js';
import { formatError } from './error-formatter.js';
import { traceProcedure } from './trace-procedure.js';

const t = initTRPC.context<MeshContext>().create({
  transformer: meshTransformer,
  errorFormatter: formatError,
  isDev: false,
});

/**
 * A call's input size, and its own trace context when it came by websocket (HTTP calls carry
 * theirs in headers). An input that fails to decode is left for tRPC's input parser, which
 * throws it inside the span.
 */
async function callTrace(ctx: MeshContext, getRawInput: () => Promise<unknown>) {
  let input: unknown;
  try {
    input = await getRawInput();
  } catch {
    return { carrier: undefined, inputBytes: undefined };
  }
  const carrier = ctx.transport === 'websocket' ? traceCarrierOf(input) : undefined;
  return { carrier, inputBytes: inputSizeOf(input) };
}

const telemetry = t.middleware(async ({ ctx, path, type, next, getRawInput }) =>
  traceProcedure({ ctx, path, type, ...(await callTrace(ctx, getRawInput)) }, next),
);

/**
 * Tracing and the token check in one middleware: every middleware level costs a few object
 * spreads inside tRPC on each call, and these two always go together.
 */
const tracedWithToken = t.middleware(async ({ ctx, path, type, next, getRawInput }) =>
  traceProcedure({ ctx, path, type, ...(await callTrace(ctx, getRawInput)) }, () => {
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
