import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface Caller {
  /** One call; resolves whether its answer was the right one. */
  call(): Promise<boolean>;
  close(): void;
}

const definition = protoLoader.loadSync('mesh/ingestion/v1/ingestion.proto', {
  includeDirs: [fileURLToPath(new URL('../../../proto', import.meta.url))],
  enums: String,
});
const IngestionService = (
  grpc.loadPackageDefinition(definition) as unknown as {
    mesh: { ingestion: { v1: { IngestionService: grpc.ServiceClientConstructor } } };
  }
).mesh.ingestion.v1.IngestionService;

type GetSyncSource = (
  request: object,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, answer: { kind?: string }) => void,
) => void;

/** GetSyncSource through @grpc/grpc-js (one HTTP/2 connection, calls multiplexed on it). */
export function grpcJsCaller(url: string, token: string): Caller {
  const client = new IngestionService(
    url.replace('http://', ''),
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    getSyncSource: GetSyncSource;
  };
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return {
    call: () =>
      new Promise((resolve, reject) =>
        client.getSyncSource({}, metadata, (error, answer) =>
          error ? reject(error) : resolve(answer.kind === 'SOURCE_KIND_SIMULATED'),
        ),
      ),
    close: () => client.close(),
  };
}

/** A GET through node:http with a keep-alive agent; the answer must contain `expect`. */
export function httpCaller(
  url: string,
  sockets: number,
  expect: string,
  headers: Record<string, string> = {},
): Caller {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    call: () =>
      new Promise((resolve, reject) => {
        get(url, { agent, headers }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve(response.statusCode === 200 && body.includes(expect)));
          response.on('error', reject);
        }).on('error', reject);
      }),
    close: () => agent.destroy(),
  };
}
