import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface NodeHttpFetchOptions {
  /** Most open connections per target host. */
  maxSockets?: number;
  /**
   * One request in this many closes its connection, which is then replaced. Behind a
   * Kubernetes Service each new connection may land on another pod, so a long-lived client
   * keeps spreading its load over replicas (a socket kept forever would pin to one pod).
   */
  maxRequestsPerSocket?: number;
}

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | null;
  signal?: AbortSignal | null;
}

/** The part of a fetch Response tRPC's HTTP links read. */
export interface MinimalResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError');
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/**
 * A `fetch` for tRPC's HTTP links on Node's own http client with keep-alive: on Node 20 it
 * does several times the calls per second of the built-in fetch (see docs/benchmarks.md),
 * and it recycles connections so load spreads across replicas.
 */
export function createNodeHttpFetch({
  maxSockets = 16,
  maxRequestsPerSocket = 1000,
}: NodeHttpFetchOptions = {}) {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets }),
  };
  // Every Nth request asks the server to close its connection after answering: the socket
  // retires cleanly (nothing queued behind it is cut off) and the agent opens a new one,
  // which behind a Kubernetes Service may reach another pod.
  let sent = 0;

  const fetch = (input: string | URL, init: FetchInit = {}): Promise<MinimalResponse> =>
    new Promise((resolve, reject) => {
      if (init.signal?.aborted) return reject(abortError());
      const url = new URL(input);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const agent = agents[url.protocol as keyof typeof agents];
      const request = send(
        url,
        {
          method: init.method ?? 'GET',
          headers:
            ++sent % maxRequestsPerSocket === 0 ? { ...init.headers, connection: 'close' } : init.headers,
          agent,
        },
        (response) => {
          const body = readBody(response);
          body.catch(() => {});
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: { get: (name) => (response.headers[name.toLowerCase()] as string | undefined) ?? null },
            json: async () => JSON.parse(await body),
            text: () => body,
          });
        },
      );
      const onAbort = () => request.destroy(abortError());
      init.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => init.signal?.removeEventListener('abort', onAbort));
      request.on('error', reject);
      request.end(init.body ?? undefined);
    });

  return {
    fetch,
    close(): void {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
