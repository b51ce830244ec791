import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { create, type DescMethod, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { parseTimeout, setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import type { Logger } from '@mesh/telemetry';
import type { MethodEntry, MethodTable } from './method-table.js';

export interface GrpcFastPathOptions {
  table: MethodTable;
  readMaxBytes: number;
  /** Aborted when the face closes: running calls see their signal abort. */
  shutdownSignal: AbortSignal;
  log: Logger;
}

export interface GrpcFastPath {
  /** The RPC a stream calls, when it is plain gRPC (protobuf, uncompressed) to one of ours. */
  match(headers: IncomingHttpHeaders): MethodEntry | undefined;
  serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, entry: MethodEntry): void;
}

const GRPC_CONTENT_TYPE = /^application\/grpc(\+proto)?$/;
const PREFIX_BYTES = 5;
/** A client's grpc-timeout is honoured up to a day; Connect's default has no cap either. */
const MAX_TIMEOUT_MS = 24 * 3600 * 1000;
// Made once: Node copies a response's headers anyway. No Date header (gRPC has no use for it,
// and Node would format one per call).
const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc' };
const RESPOND_OPTIONS = { waitForTrailers: true, sendDate: false };
const RESPOND_AND_END = { endStream: true, sendDate: false };
const EMPTY = Buffer.alloc(0);
const NO_FIELDS: Record<string, unknown> = Object.freeze({});
const ignore = () => {};
/** The signal a unary handler gets: queries and mutations run without one, as over HTTP. */
const NO_SIGNAL = new AbortController().signal;

function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  framed.writeUInt8(0, 0);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, PREFIX_BYTES);
  return framed;
}

function encode(method: DescMethod, init: unknown): Buffer {
  return frame(toBinary(method.output, create(method.output, init as Record<string, unknown>)));
}

function readBody(stream: ServerHttp2Stream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // One DATA frame is the usual request: kept as it came, without a copy.
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes + PREFIX_BYTES) {
        reject(new ConnectError(`message larger than ${maxBytes} bytes`, Code.ResourceExhausted));
        stream.pause();
        return;
      }
      if (first === undefined) first = chunk;
      else if (chunks) chunks.push(chunk);
      else chunks = [first, chunk];
    });
    stream.once('end', () => resolve(chunks ? Buffer.concat(chunks, size) : (first ?? EMPTY)));
    stream.once('error', reject);
  });
}

function decodeRequest(method: DescMethod, body: Buffer) {
  if (body.length < PREFIX_BYTES)
    throw new ConnectError('expected one request message', Code.InvalidArgument);
  if ((body.readUInt8(0) & 1) === 1)
    throw new ConnectError('compressed message without grpc-encoding', Code.Internal);
  const length = body.readUInt32BE(1);
  if (body.length !== PREFIX_BYTES + length) {
    throw new ConnectError('expected exactly one request message', Code.InvalidArgument);
  }
  // A request without fields reaches the procedure as no input: nothing to decode.
  if (method.input.fields.length === 0) return NO_FIELDS;
  try {
    return fromBinary(method.input, body.subarray(PREFIX_BYTES)) as unknown as Record<string, unknown>;
  } catch {
    throw new ConnectError(`cannot decode ${method.input.typeName}`, Code.InvalidArgument);
  }
}

/** gRPC status trailers for an outcome, encoded as Connect encodes them (details included). */
const OK_TRAILERS = { 'grpc-status': '0' };

function statusTrailers(error: ConnectError | undefined): Record<string, string> {
  if (!error) return OK_TRAILERS;
  const trailers = new Headers();
  setTrailerStatus(trailers, error);
  return Object.fromEntries(trailers);
}

// Per-call state and the functions that act on it live outside the call: under tsx (`npm
// start`, the benches) a closure bound to a name gets esbuild's `__name` wrapper, a
// defineProperty per call.

interface CallState {
  stream: ServerHttp2Stream;
  started: boolean;
  timedOut: boolean;
  /** A streaming call's own: the client going away, the deadline or shutdown aborts it. */
  controller: AbortController | undefined;
  finished: boolean;
}

function onDeadline(state: CallState): void {
  state.timedOut = true;
  state.controller?.abort();
}

function sendOkTrailers(this: ServerHttp2Stream): void {
  this.sendTrailers(OK_TRAILERS);
}

function respondOnce(state: CallState): void {
  if (state.started || state.stream.destroyed) return;
  state.started = true;
  state.stream.respond(RESPONSE_HEADERS, RESPOND_OPTIONS);
}

/** Ends the call with its status, after `last` (a unary answer) when there is one. */
function endCall(state: CallState, error: ConnectError | undefined, last?: Buffer): void {
  const { stream } = state;
  if (stream.destroyed) return;
  if (!state.started && last === undefined) {
    // Trailers-only: status in the one HEADERS frame.
    stream.respond({ ...RESPONSE_HEADERS, ...statusTrailers(error) }, RESPOND_AND_END);
    return;
  }
  respondOnce(state);
  if (error) {
    const trailers = statusTrailers(error);
    stream.once('wantTrailers', () => stream.sendTrailers(trailers));
  } else {
    stream.once('wantTrailers', sendOkTrailers);
  }
  if (last) stream.end(last);
  else stream.end();
}

/**
 * The gRPC protocol served straight off the HTTP/2 stream for the mesh's own RPCs, as the
 * kit's tRPC fast path does for HTTP: Connect's Node adapter goes through Node's HTTP/2
 * compatibility layer and its universal handler, several times the cost of the call itself
 * (see docs/benchmarks.md). It runs the same method table as the Connect routes; what it does
 * not handle (gRPC-Web, Connect, compression, health, reflection) goes to Connect.
 */
export function createGrpcFastPath({
  table,
  readMaxBytes,
  shutdownSignal,
  log,
}: GrpcFastPathOptions): GrpcFastPath {
  const asConnectError = (error: unknown, method: DescMethod): ConnectError => {
    if (error instanceof ConnectError) return error;
    log.error({ err: error, rpc: `${method.parent.typeName}/${method.name}` }, 'gRPC call failed');
    return new ConnectError('Internal server error', Code.Internal);
  };
  // Shutdown aborts the open streams; unary calls finish.
  const streaming = new Set<AbortController>();
  shutdownSignal.addEventListener(
    'abort',
    () => {
      for (const controller of streaming) controller.abort();
    },
    { once: true },
  );

  async function pump(
    state: CallState,
    entry: MethodEntry & { kind: 'server_streaming' },
    request: Record<string, unknown>,
    headers: IncomingHttpHeaders,
  ) {
    const controller = state.controller as AbortController;
    const { stream } = state;
    for await (const item of entry.handler(request, { headers, signal: controller.signal })) {
      if (controller.signal.aborted || stream.destroyed) break;
      respondOnce(state);
      if (!stream.write(encode(entry.method, item)))
        await new Promise((resolve) => stream.once('drain', resolve));
    }
  }

  async function serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, entry: MethodEntry) {
    // A cancelled or reset stream errors; a streaming call's abort is all it needs to know.
    stream.on('error', ignore);
    const state: CallState = {
      stream,
      started: false,
      timedOut: false,
      controller: undefined,
      finished: false,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      if (entry.kind === 'server_streaming') {
        const controller = new AbortController();
        state.controller = controller;
        streaming.add(controller);
        // A client that goes away mid-call aborts it; aborting a finished call would only cost
        // an AbortError and an event.
        stream.once('close', () => {
          if (!state.finished) controller.abort();
        });
      }
      const timeoutHeader = headers['grpc-timeout'];
      if (timeoutHeader !== undefined) {
        const timeout = parseTimeout(
          typeof timeoutHeader === 'string' ? timeoutHeader : null,
          MAX_TIMEOUT_MS,
        );
        if (timeout.error) throw timeout.error;
        if (timeout.timeoutMs !== undefined) timer = setTimeout(onDeadline, timeout.timeoutMs, state);
      }
      const request = decodeRequest(entry.method, await readBody(stream, readMaxBytes));
      let answer: Buffer | undefined;
      if (entry.kind === 'unary') {
        answer = encode(entry.method, await entry.handler(request, { headers, signal: NO_SIGNAL }));
      } else {
        await pump(state, entry, request, headers);
      }
      const late = state.timedOut && !shutdownSignal.aborted;
      endCall(state, late ? new ConnectError('deadline exceeded', Code.DeadlineExceeded) : undefined, answer);
    } catch (error) {
      endCall(state, asConnectError(error, entry.method));
    } finally {
      state.finished = true;
      clearTimeout(timer);
      if (state.controller) streaming.delete(state.controller);
    }
  }

  return {
    match(headers) {
      if (headers[':method'] !== 'POST') return undefined;
      const type = headers['content-type'];
      if (typeof type !== 'string' || !GRPC_CONTENT_TYPE.test(type)) return undefined;
      const encoding = headers['grpc-encoding'];
      if (encoding !== undefined && encoding !== 'identity') return undefined;
      return table.get(String(headers[':path']));
    },
    serve: (stream, headers, entry) => void serve(stream, headers, entry),
  };
}
