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
const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc' };

function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  framed.writeUInt8(0, 0);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, PREFIX_BYTES);
  return framed;
}

function readBody(stream: ServerHttp2Stream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes + PREFIX_BYTES) {
        reject(new ConnectError(`message larger than ${maxBytes} bytes`, Code.ResourceExhausted));
        stream.pause();
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, size)));
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
  try {
    return fromBinary(method.input, body.subarray(PREFIX_BYTES));
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

  async function serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, entry: MethodEntry) {
    const abort = new AbortController();
    const onShutdown = () => abort.abort();
    shutdownSignal.addEventListener('abort', onShutdown, { once: true });
    let finished = false;
    // A client that goes away mid-call aborts it; aborting a finished call would only cost an
    // AbortError and an event per call.
    stream.once('close', () => {
      if (!finished) abort.abort();
    });
    // A cancelled or reset stream errors; the abort above is all the call needs to know.
    stream.on('error', () => {});
    const timeout = parseTimeout(
      typeof headers['grpc-timeout'] === 'string' ? headers['grpc-timeout'] : null,
      MAX_TIMEOUT_MS,
    );
    const timer =
      timeout.timeoutMs === undefined ? undefined : setTimeout(() => abort.abort(), timeout.timeoutMs);
    let started = false;
    const start = () => {
      if (started || stream.destroyed) return;
      started = true;
      stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
    };
    const end = (error: ConnectError | undefined) => {
      if (stream.destroyed) return;
      if (!started) {
        // Trailers-only: status in the one HEADERS frame.
        stream.respond({ ...RESPONSE_HEADERS, ...statusTrailers(error) }, { endStream: true });
        return;
      }
      stream.once('wantTrailers', () => stream.sendTrailers(statusTrailers(error)));
      stream.end();
    };
    try {
      if (timeout.error) throw timeout.error;
      const request = decodeRequest(entry.method, await readBody(stream, readMaxBytes)) as unknown as Record<
        string,
        unknown
      >;
      const info = { headers, signal: abort.signal };
      const encode = (init: Record<string, unknown>) =>
        frame(toBinary(entry.method.output, create(entry.method.output, init)));
      if (entry.kind === 'unary') {
        const answer = encode((await entry.handler(request, info)) as Record<string, unknown>);
        start();
        stream.write(answer);
      } else {
        for await (const item of entry.handler(request, info)) {
          if (abort.signal.aborted || stream.destroyed) break;
          start();
          if (!stream.write(encode(item as Record<string, unknown>)))
            await new Promise((resolve) => stream.once('drain', resolve));
        }
      }
      if (timer && abort.signal.aborted && !stream.destroyed && !shutdownSignal.aborted) {
        end(new ConnectError('deadline exceeded', Code.DeadlineExceeded));
      } else {
        end(undefined);
      }
    } catch (error) {
      end(asConnectError(error, entry.method));
    } finally {
      finished = true;
      clearTimeout(timer);
      shutdownSignal.removeEventListener('abort', onShutdown);
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
