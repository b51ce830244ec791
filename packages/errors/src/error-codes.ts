/**
 * What kind of failure an error is, whatever carries it. Each transport maps these once: the
 * kit to tRPC codes, `httpStatusOf` to HTTP statuses, the CLI to exit codes (and a gRPC face to
 * gRPC status codes). The names are tRPC's (which are HTTP's) where the two share a meaning,
 * so a service registry reads `{ code: 'NOT_FOUND', ... }` as before; `CANCELLED` is the one
 * tRPC spells `CLIENT_CLOSED_REQUEST`.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'CANCELLED',
  'TIMEOUT',
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return (errorCodes as readonly unknown[]).includes(value);
}
