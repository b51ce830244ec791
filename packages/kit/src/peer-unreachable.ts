/** Socket errors that mean the peer never answered: it is down, restarting, or not there. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * True when `cause`, what a procedure threw, is a call to another service that got no answer at
 * all: a `TRPCClientError` without an error shape of the peer's (so not the peer's own typed
 * error) over a refused, reset or timed-out connection. The caller should then see
 * SERVICE_UNAVAILABLE, something to retry, instead of an internal error.
 */
export function isPeerUnreachable(cause: unknown): boolean {
  if (!(cause instanceof Error) || cause.name !== 'TRPCClientError') return false;
  if ((cause as { shape?: unknown }).shape !== undefined) return false;
  const inner: unknown = cause.cause;
  if (!(inner instanceof Error)) return false;
  if (inner.name === 'TimeoutError') return true;
  const code = (inner as { code?: unknown }).code;
  return typeof code === 'string' && unreachableCodes.has(code);
}
