import {
  createTRPCClient,
  createWSClient,
  retryLink,
  splitLink,
  type TRPCClient,
  wsLink,
} from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import superjson from 'superjson';
import { WebSocket } from 'ws';
import { timeoutLink } from './links/timeout-link.js';
import { type TraceBatchLinkOptions, traceBatchLink } from './links/trace-batch-link.js';
import { traceContextLink } from './links/trace-context-link.js';
import { backoffMs, isRetryable } from './retry-policy.js';
import { createNodeHttpFetch } from './transport/node-http-fetch.js';

export interface ServiceClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:4020`. */
  url: string;
  token: string;
  /** Per-call timeout for queries and mutations; a call may override it with `context: { timeoutMs }`. */
  timeoutMs?: number;
  /** Extra attempts for a query that failed transiently. Mutations are never retried. */
  retries?: number;
  /** Most calls in one HTTP batch; keep at or below the server's MAX_BATCH_SIZE. */
  maxBatchSize?: number;
  /**
   * How queries and mutations travel: `http` (default: batched HTTP on Node's http client,
   * keep-alive, connections recycled so load spreads over replicas), `fetch` (batched HTTP
   * on the built-in fetch), or `websocket` (one socket; no per-call trace context, since
   * tRPC's websocket messages carry no headers). Subscriptions always use the websocket.
   */
  transport?: 'http' | 'fetch' | 'websocket';
  /** Connections per target for the `http` transport. */
  maxSockets?: number;
}

export interface ServiceClient<TRouter extends AnyRouter> {
  client: TRPCClient<TRouter>;
  /** Closes the websocket, if a subscription opened one. */
  close(): Promise<void>;
}

/** One typed client for one service: batched HTTP for calls, a lazy websocket for subscriptions. */
export function createServiceClient<TRouter extends AnyRouter>({
  url,
  token,
  timeoutMs = 10_000,
  retries = 2,
  maxBatchSize = 100,
  transport = 'http',
  maxSockets = 16,
}: ServiceClientOptions): ServiceClient<TRouter> {
  const authorization = `Bearer ${token}`;
  const nodeHttp = transport === 'http' ? createNodeHttpFetch({ maxSockets }) : undefined;
  const wsClient = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token },
    lazy: { enabled: true, closeMs: 30_000 },
  });
  const client = createTRPCClient<TRouter>({
    links: [
      traceContextLink<TRouter>(),
      retryLink<TRouter>({
        retry: ({ op, error, attempts }) => isRetryable(op, error, attempts, retries),
        retryDelayMs: (attempt) => backoffMs(attempt),
      }),
      timeoutLink<TRouter>(timeoutMs),
      splitLink<TRouter>({
        condition: (op) => transport === 'websocket' || op.type === 'subscription',
        true: wsLink<TRouter>({ client: wsClient, transformer: superjson } as unknown as Parameters<
          typeof wsLink<TRouter>
        >[0]),
        false: traceBatchLink<TRouter>({
          url: `${url}/trpc`,
          transformer: superjson,
          maxItems: maxBatchSize,
          headers: () => ({ authorization }),
          ...(nodeHttp && { fetch: nodeHttp.fetch }),
        } as unknown as TraceBatchLinkOptions<TRouter>),
      }),
    ],
  });
  return {
    client,
    close: async () => {
      nodeHttp?.close();
      await wsClient.close();
    },
  };
}
