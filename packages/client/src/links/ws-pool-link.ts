import { meshTransformer } from '@mesh/wire';
import { createWSClient, type OperationLink, type TRPCLink, wsLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { platformWebSocket } from '#platform';
import { socketCallSpan } from './socket-call-span.js';

export interface WsPoolOptions<TRouter extends AnyRouter> {
  /** The service's websocket URL, e.g. `ws://host:4020/trpc`. */
  url: string;
  token: string;
  /** Sockets kept open to the target. */
  size: number;
  /**
   * Age after which a socket stops taking new calls and is replaced. Behind a Kubernetes
   * Service each new socket may reach another pod, so load keeps spreading over replicas.
   */
  maxAgeMs: number;
  /** How long a retired socket stays open for the calls still on it. */
  drainMs: number;
  /**
   * Where calls go while a socket cannot connect (the service is down or restarting): an HTTP
   * link fails fast with the real reason, and the SDK's retry policy applies, where a
   * websocket would hold the call until its timeout while it keeps reconnecting.
   */
  fallback: TRPCLink<TRouter>;
}

interface Member<TRouter extends AnyRouter> {
  link: OperationLink<TRouter>;
  close(): void;
  bornAt: number;
  /** `open` while the socket is; `down` once an attempt failed or it closed, until it reopens. */
  state: 'connecting' | 'open' | 'down';
}

export interface WsPool<TRouter extends AnyRouter> {
  link: TRPCLink<TRouter>;
  close(): Promise<void>;
}

/**
 * Queries and mutations over a small pool of websockets, round robin, each socket replaced
 * when it grows old. Sockets open lazily, on the first call that needs them.
 */
export function createWsPool<TRouter extends AnyRouter>(options: WsPoolOptions<TRouter>): WsPool<TRouter> {
  const retiring = new Set<ReturnType<typeof setTimeout>>();
  const closers = new Set<() => void>();
  let members: Array<Member<TRouter> | undefined> = Array.from({ length: options.size }, () => undefined);
  let turn = 0;

  const open = (runtime: Parameters<TRPCLink<TRouter>>[0]): Member<TRouter> => {
    const member = { state: 'connecting' } as Member<TRouter>;
    const client = createWSClient({
      url: options.url,
      WebSocket: platformWebSocket,
      connectionParams: { token: options.token },
      onOpen: () => {
        member.state = 'open';
      },
      onError: () => {
        member.state = 'down';
      },
      onClose: () => {
        member.state = 'down';
      },
    });
    const close = () => {
      closers.delete(close);
      void client.close();
    };
    closers.add(close);
    member.link = socketCallSpan(
      wsLink<TRouter>({ client, transformer: meshTransformer } as unknown as Parameters<
        typeof wsLink<TRouter>
      >[0])(runtime),
      options.url,
    );
    member.close = close;
    member.bornAt = Date.now();
    return member;
  };

  const retire = (member: Member<TRouter>) => {
    const timer = setTimeout(() => {
      retiring.delete(timer);
      member.close();
    }, options.drainMs);
    timer.unref();
    retiring.add(timer);
  };

  const link: TRPCLink<TRouter> = (runtime) => {
    const fallback = options.fallback(runtime);
    return (ctx) => {
      const slot = turn++ % options.size;
      let member = members[slot];
      if (member && Date.now() - member.bornAt > options.maxAgeMs) {
        retire(member);
        member = undefined;
      }
      if (!member) {
        member = open(runtime);
        members[slot] = member;
      }
      // Until its socket is open (first connect, or the service is down and it reconnects), a
      // slot's calls go over HTTP: no call waits on a socket that may never open.
      return member.state === 'open' ? member.link(ctx) : fallback(ctx);
    };
  };

  return {
    link,
    async close() {
      for (const timer of retiring) clearTimeout(timer);
      retiring.clear();
      for (const close of [...closers]) close();
      members = members.map(() => undefined);
    },
  };
}
