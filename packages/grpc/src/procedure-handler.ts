import type { IncomingHttpHeaders } from 'node:http';
import type { DescMessage, DescMethod, MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { callProcedure, callSpanContextOf, type MeshContext, procedureAt } from '@mesh/kit';
import { type AnyRouter, isTrackedEnvelope } from '@trpc/server';
import { toConnectError } from './grpc-error.js';
import { messageToInput } from './message-to-input.js';
import { OutputFieldError } from './output-field-error.js';
import { outputToMessage } from './output-to-message.js';

type Plain = Record<string, unknown>;
type CallProcedure = (ctx: MeshContext, input: unknown, signal: AbortSignal) => Promise<unknown>;

export interface ProcedureHandlerOptions {
  method: DescMethod;
  /** The procedure's path in the router, `getUsers` for the RPC `GetUsers`. */
  path: string;
  router: AnyRouter;
  /** Names the service in a domain error's google.rpc.ErrorInfo. */
  domain: string;
  context: (headers: IncomingHttpHeaders) => MeshContext;
}

/** What a handler needs of the call beside its request: Connect's context or a raw h2 stream's. */
export interface CallInfo {
  headers: IncomingHttpHeaders;
  signal: AbortSignal;
}

export type UnaryHandler = (request: Plain, call: CallInfo) => Promise<MessageInitShape<DescMessage>>;
export type StreamHandler = (request: Plain, call: CallInfo) => AsyncGenerator<MessageInitShape<DescMessage>>;

/** The procedure a method runs: its RPC name with the first letter lowered (`GetUsers` → `getUsers`). */
export function procedurePathOf(method: DescMethod): string {
  return method.name.charAt(0).toLowerCase() + method.name.slice(1);
}

/**
 * Calls `path` with its middlewares (token, tracing, budgets), its input parser and its error
 * formatter exactly as over HTTP. A query or mutation goes through the kit's chain, the one the
 * tRPC fast path runs (tRPC's middlewares in tRPC's order, without the option spreads per level
 * of tRPC's caller, which cost more than the call's span); like the HTTP fast path it hands the
 * procedure no signal (no query or mutation reads one). A subscription goes through tRPC's
 * public caller, which gives it the call's signal to end on.
 */
function procedureCaller(router: AnyRouter, path: string): CallProcedure {
  const found = procedureAt(router, path);
  if (found && found.type !== 'subscription') {
    const { procedure } = found;
    const type = found.type;
    return (ctx, input) => callProcedure(procedure, { ctx, path, type, batchIndex: 0, input });
  }
  const createCaller = router.createCaller as unknown as (
    ctx: MeshContext,
    opts: { signal: AbortSignal },
  ) => Record<string, unknown>;
  const segments = path.split('.');
  return (ctx, input, signal) => {
    let target: unknown = createCaller(ctx, { signal });
    for (const segment of segments) target = (target as Plain)[segment];
    return (target as (input: unknown) => Promise<unknown>)(input);
  };
}

function requestInput(method: DescMethod, request: Plain): unknown {
  return method.input.fields.length === 0 ? undefined : messageToInput(method.input, request);
}

/**
 * A streamed item as its proto message: a `tracked()` event puts its id in `event_id` beside
 * the data's own fields; anything else is the data alone.
 */
function streamMessage(method: DescMethod, item: unknown) {
  if (!isTrackedEnvelope(item)) return outputToMessage(method.output, item);
  const [eventId, data] = item;
  return outputToMessage(method.output, data, eventId);
}

/**
 * A procedure's answer that does not fit its message: INTERNAL to the caller, and one error
 * line through the service's logger, as the kit logs an unknown error, with the call's trace
 * and span ids, the RPC and the field's path and proto type (never its value).
 */
function unfitAnswer(ctx: MeshContext, method: DescMethod, path: string, error: OutputFieldError) {
  const span = callSpanContextOf(ctx);
  ctx.log.error(
    {
      ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      rpc: `${method.parent.typeName}/${method.name}`,
      procedure: path,
      field: error.field,
      protoType: error.protoType,
      reason: error.reason,
    },
    'procedure answer does not fit its gRPC message',
  );
  return new ConnectError('Internal server error', Code.Internal);
}

/**
 * The Connect implementation of one RPC: the request becomes the procedure's input, the
 * procedure runs, its output (or each streamed item) becomes the response. No logic of its own.
 */
export function createProcedureHandler({
  method,
  path,
  router,
  domain,
  context,
}: ProcedureHandlerOptions): UnaryHandler | StreamHandler {
  const call = procedureCaller(router, path);
  if (method.methodKind === 'unary') {
    const unary: UnaryHandler = async (request, info) => {
      const ctx = context(info.headers);
      try {
        return outputToMessage(method.output, await call(ctx, requestInput(method, request), info.signal));
      } catch (error) {
        if (error instanceof OutputFieldError) throw unfitAnswer(ctx, method, path, error);
        throw toConnectError(error, method.input, domain);
      }
    };
    return unary;
  }
  if (method.methodKind === 'server_streaming') {
    const stream: StreamHandler = async function* (request, info) {
      const ctx = context(info.headers);
      try {
        const items = (await call(ctx, requestInput(method, request), info.signal)) as AsyncIterable<unknown>;
        for await (const item of items) yield streamMessage(method, item);
      } catch (error) {
        if (error instanceof OutputFieldError) throw unfitAnswer(ctx, method, path, error);
        throw toConnectError(error, method.input, domain);
      }
    };
    return stream;
  }
  throw new Error(
    `${method.parent.typeName}/${method.name}: only unary and server-streaming RPCs map to procedures`,
  );
}
