import { meshTransformer } from '@mesh/wire';
import {
  createTRPCClient,
  createWSClient,
  retryLink,
  splitLink,
  type TRPCClient,
  wsLink,
} from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { createPlatformHttpFetch, platformWebSocket } from '#platform';
import { timeoutLink } from './links/timeout-link.js';
import { type TraceBatchLinkOptions, traceBatchLink } from './links/trace-batch-link.js';
import { traceContextLink } from './links/trace-context-link.js';
import { createWsPool } from './links/ws-pool-link.js';
import { backoffMs, isRetryable } from './retry-policy.js';

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
   * How queries and mutations travel: `websocket` (default: a small pool of sockets, each
   * call carrying its own trace context beside its input; calls without an object input, and
   * all calls while a socket is not open, go over batched HTTP), `http` (batched HTTP on
   * Node's http client, keep-alive, connections recycled so load spreads over replicas) or
   * `fetch` (batched HTTP on the built-in fetch; in a browser `http` is `fetch` too).
   * Subscriptions always use a websocket.
   */
  transport?: 'http' | 'fetch' | 'websocket';
  /** Connections per target for the `http` transport. */
  maxSockets?: number;
  /** Sockets per target for the `websocket` transport. */
  wsPoolSize?: number;
  /** Age after which a pooled socket (or, for `http`, a connection) is replaced, spreading load over replicas. */
  connectionMaxAgeMs?: number;
}

export interface ServiceClient<TRouter extends AnyRouter> {
  client: TRPCClient<TRouter>;
  /** Closes every socket and connection the client opened. */
  close(): Promise<void>;
}

/**
 * One typed client for one service: calls over a small recycled websocket pool (or batched
 * HTTP), each keeping its caller's trace; subscriptions on their own lazy websocket.
 */
export function createServiceClient<TRouter extends AnyRouter>({
  url,
  token,
  timeoutMs = 10_000,
  retries = 2,
  maxBatchSize = 100,
  transport = 'websocket',
  maxSockets = 16,
  wsPoolSize = 2,
  connectionMaxAgeMs = 60_000,
}: ServiceClientOptions): ServiceClient<TRouter> {
  const authorization = `Bearer ${token}`;
  const wsUrl = `${url.replace(/^http/, 'ws')}/trpc`;
  const nodeHttp = transport === 'fetch' ? undefined : createPlatformHttpFetch?.({ maxSockets });
  const httpBatch = traceBatchLink<TRouter>({
    url: `${url}/trpc`,
    transformer: meshTransformer,
    maxItems: maxBatchSize,
    headers: () => ({ authorization }),
    ...(nodeHttp && { fetch: nodeHttp.fetch }),
  } as unknown as TraceBatchLinkOptions<TRouter>);
  const pool =
    transport === 'websocket'
      ? createWsPool<TRouter>({
          url: wsUrl,
          token,
          size: wsPoolSize,
          maxAgeMs: connectionMaxAgeMs,
          drainMs: timeoutMs + 1000,
          fallback: httpBatch,
        })
      : undefined;
  const wsClient = createWSClient({
    url: wsUrl,
    WebSocket: platformWebSocket,
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
        condition: (op) => op.type === 'subscription',
        true: wsLink<TRouter>({
          client: wsClient,
          transformer: meshTransformer,
        } as unknown as Parameters<typeof wsLink<TRouter>>[0]),
        false: pool
          ? splitLink<TRouter>({
              // A call's trace rides beside its input on a websocket (in a client span of its
              // own, see socket-call-span.ts), which needs an object input to hang on; the rare
              // call without one goes over HTTP with its headers.
              condition: (op) => typeof op.input === 'object' && op.input !== null,
              true: pool.link,
              false: httpBatch,
            })
          : httpBatch,
      }),
    ],
  });
  return {
    client,
    close: async () => {
      nodeHttp?.close();
      await pool?.close();
      await wsClient.close();
    },
  };
}
