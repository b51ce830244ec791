import type { TRPCClientError } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/**
 * Whether a failed call may be tried again: only queries (idempotent by contract), and
 * only for failures that say nothing about the request itself (no answer, a timeout, a
 * gateway or an unavailable service).
 */
export function isRetryable(
  op: { type: string },
  error: TRPCClientError<AnyRouter>,
  attempts: number,
  maxRetries: number,
): boolean {
  if (op.type !== 'query' || attempts > maxRetries) return false;
  const status = error.data?.httpStatus as number | undefined;
  if (status === undefined) return true;
  return TRANSIENT_STATUSES.has(status);
}

/** Exponential backoff with full jitter, capped at 2 s. */
export function backoffMs(attempt: number, baseMs = 50): number {
  const ceiling = Math.min(2000, baseMs * 2 ** attempt);
  return Math.round(Math.random() * ceiling);
}
