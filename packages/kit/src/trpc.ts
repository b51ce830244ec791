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

const UNDECODABLE = Symbol('undecodable input');

/** The call's raw input, or UNDECODABLE when it fails to decode (left for tRPC's input parser). */
async function rawInput(getRawInput: () => Promise<unknown>): Promise<unknown> {
  try {
    return await getRawInput();
  } catch {
    return UNDECODABLE;
  }
}

/**
 * A call's input size, and its own trace context when it came by websocket (HTTP calls carry
 * theirs in headers). An input that failed to decode gets neither; tRPC's input parser throws
 * it inside the span.
 */
function traceCall(ctx: MeshContext, path: string, type: string, input: unknown) {
  if (input === UNDECODABLE) return { ctx, path, type, carrier: undefined, inputBytes: undefined };
  const carrier = ctx.transport === 'websocket' ? traceCarrierOf(input) : undefined;
  return { ctx, path, type, carrier, inputBytes: inputSizeOf(input) };
}

const telemetry = t.middleware(async ({ ctx, path, type, next, getRawInput }) =>
  traceProcedure(traceCall(ctx, path, type, await rawInput(getRawInput)), next),
);

/**
 * Tracing and the token check in one middleware: every middleware level costs a few object
 * spreads inside tRPC on each call, and these two always go together.
 */
const tracedWithToken = t.middleware(async ({ ctx, path, type, next, getRawInput }) =>
  traceProcedure(traceCall(ctx, path, type, await rawInput(getRawInput)), () => {
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
