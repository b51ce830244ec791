import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

/** The cause of a `TRPCClientError` raised when a call outlives its timeout. */
export class MeshTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${path} timed out after ${timeoutMs} ms`);
  }
}

/**
 * Fails a query or mutation that has not answered within its timeout (the call's
 * `context.timeoutMs`, else the client default) and cancels the request underneath.
 * Subscriptions are long-lived by design and have none.
 */
export function timeoutLink<TRouter extends AnyRouter>(defaultTimeoutMs: number): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        if (op.type === 'subscription') return next(op).subscribe(observer);
        const timeoutMs = (op.context.timeoutMs as number | undefined) ?? defaultTimeoutMs;
        let timedOut = false;
        const timer = setTimeout(() => {
          // Fail first: cancelling below makes some links (wsLink) report an AbortError.
          timedOut = true;
          observer.error(TRPCClientError.from(new MeshTimeoutError(op.path, timeoutMs)));
          subscription.unsubscribe();
        }, timeoutMs);
        const subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            clearTimeout(timer);
            if (!timedOut) observer.error(error);
          },
          complete: () => {
            clearTimeout(timer);
            observer.complete();
          },
        });
        return () => {
          clearTimeout(timer);
          subscription.unsubscribe();
        };
      });
}
