import { fileURLToPath } from 'node:url';
import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { type Any, AnySchema, anyUnpack } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { BadRequestSchema, ErrorInfoSchema } from '@mesh/contracts';

const protoDir = fileURLToPath(new URL('../../../proto', import.meta.url));

/** grpc-js's generic view of the contracts, loaded from proto/ as any outside client would. */
const definition = protoLoader.loadSync(
  [
    'mesh/ingestion/v1/ingestion.proto',
    'mesh/user_cache/v1/user_cache.proto',
    'mesh/analytics/v1/analytics.proto',
    'mesh/bot_control/v1/bot_control.proto',
    'google/rpc/status.proto',
    'google/rpc/error_details.proto',
  ],
  { includeDirs: [protoDir], longs: String, enums: String, defaults: false, oneofs: true },
);
const loaded = grpc.loadPackageDefinition(definition) as unknown as Record<string, unknown>;

type Plain = Record<string, unknown>;
type UnaryFn = (
  request: Plain,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response: Plain) => void,
) => void;
type StreamFn = (request: Plain, metadata: grpc.Metadata) => grpc.ClientReadableStream<Plain>;

function lookup(path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Plain)[key], loaded);
}

export interface GrpcJsClient {
  /** `headers` ride as metadata beside the token (`traceparent`...). */
  unary(method: string, request: Plain, headers?: Record<string, string>): Promise<Plain>;
  /** A server stream; `take` messages are read, then the call is cancelled. */
  stream(method: string, request: Plain, take: number): Promise<Plain[]>;
  close(): void;
}

/** A @grpc/grpc-js client of `service` (`mesh.user_cache.v1.UserCacheService`) at `url`. */
export function grpcJsClient(url: string, service: string, token: string | undefined): GrpcJsClient {
  const Client = lookup(service) as grpc.ServiceClientConstructor;
  const client = new Client(
    url.replace(/^http:\/\//, ''),
    grpc.credentials.createInsecure(),
  ) as unknown as Record<string, unknown> & grpc.Client;
  const metadata = (headers: Record<string, string> = {}) => {
    const value = new grpc.Metadata();
    if (token !== undefined) value.set('authorization', `Bearer ${token}`);
    for (const [key, header] of Object.entries(headers)) value.set(key, header);
    return value;
  };
  return {
    unary: (method, request, headers) =>
      new Promise((resolve, reject) => {
        (client[method] as UnaryFn).call(client, request, metadata(headers), (error, response) =>
          error ? reject(error) : resolve(response),
        );
      }),
    stream: (method, request, take) =>
      new Promise((resolve, reject) => {
        const messages: Plain[] = [];
        const call = (client[method] as StreamFn).call(client, request, metadata());
        call.on('data', (message: Plain) => {
          messages.push(message);
          if (messages.length === take) {
            call.cancel();
            resolve(messages);
          }
        });
        call.on('error', (error: grpc.ServiceError) => {
          if (error.code === grpc.status.CANCELLED && messages.length === take) return;
          reject(error);
        });
        call.on('end', () => resolve(messages));
      }),
    close: () => client.close(),
  };
}

/**
 * The google.rpc.Status details of a failed call, from its `grpc-status-details-bin` trailer:
 * field 3 of Status holds each detail as a google.protobuf.Any.
 */
function statusDetails(error: grpc.ServiceError): Any[] {
  const [raw] = error.metadata.get('grpc-status-details-bin');
  if (!raw) return [];
  const reader = new BinaryReader(raw as Buffer);
  const details: Any[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 3) details.push(fromBinary(AnySchema, reader.bytes()));
    else reader.skip(wireType);
  }
  return details;
}

/** The field violations of an INVALID_ARGUMENT (google.rpc.BadRequest). */
export function fieldViolations(error: grpc.ServiceError) {
  return statusDetails(error)
    .flatMap((detail) => anyUnpack(detail, BadRequestSchema)?.fieldViolations ?? [])
    .map(({ field, description }) => ({ field, description }));
}

/** The registry code of a domain error (google.rpc.ErrorInfo.reason). */
export function errorReason(error: grpc.ServiceError): string | undefined {
  return statusDetails(error)
    .map((detail) => anyUnpack(detail, ErrorInfoSchema)?.reason)
    .find((reason) => reason !== undefined);
}

export { grpc };
