import type { DescMessage } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { BadRequestSchema, ErrorInfoSchema } from '@mesh/contracts';
import { inputIssues, MeshError } from '@mesh/kit';
import { getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';

/**
 * tRPC's codes as gRPC status codes. CONFLICT becomes ABORTED: the mesh's conflicts are
 * "the state moved under you" (a command already settled, a run already going, a chat already
 * paired) more than "the thing you create exists"; ErrorInfo.reason names which.
 */
const CODES: Record<TRPCError['code'], Code> = {
  PARSE_ERROR: Code.InvalidArgument,
  BAD_REQUEST: Code.InvalidArgument,
  UNAUTHORIZED: Code.Unauthenticated,
  PAYMENT_REQUIRED: Code.FailedPrecondition,
  FORBIDDEN: Code.PermissionDenied,
  NOT_FOUND: Code.NotFound,
  METHOD_NOT_SUPPORTED: Code.Unimplemented,
  TIMEOUT: Code.DeadlineExceeded,
  CONFLICT: Code.Aborted,
  PRECONDITION_FAILED: Code.FailedPrecondition,
  PAYLOAD_TOO_LARGE: Code.ResourceExhausted,
  UNSUPPORTED_MEDIA_TYPE: Code.InvalidArgument,
  UNPROCESSABLE_CONTENT: Code.InvalidArgument,
  PRECONDITION_REQUIRED: Code.FailedPrecondition,
  TOO_MANY_REQUESTS: Code.ResourceExhausted,
  CLIENT_CLOSED_REQUEST: Code.Canceled,
  INTERNAL_SERVER_ERROR: Code.Internal,
  NOT_IMPLEMENTED: Code.Unimplemented,
  BAD_GATEWAY: Code.Unavailable,
  SERVICE_UNAVAILABLE: Code.Unavailable,
  GATEWAY_TIMEOUT: Code.DeadlineExceeded,
};

/**
 * A zod issue path (`users.0.walletAddress`) as the proto field path google.rpc.BadRequest
 * asks for (`users[0].wallet_address`), by the request's descriptor where it knows the field.
 */
export function protoFieldPath(desc: DescMessage | undefined, path: string): string {
  let message = desc;
  let out = '';
  for (const part of path === '' ? [] : path.split('.')) {
    if (/^\d+$/.test(part)) {
      out += `[${part}]`;
      continue;
    }
    const field = message?.field[part];
    const name = field?.name ?? part.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    out += out === '' ? name : `.${name}`;
    message = field?.message;
  }
  return out;
}

/**
 * A procedure's error as the caller sees it over gRPC: its status code, its message, field
 * violations for bad input, ErrorInfo with the registry code for a domain error. An unknown
 * error is a bare INTERNAL; its cause stays on the server (the kit logged it).
 */
export function toConnectError(error: unknown, request: DescMessage, domain: string): ConnectError {
  if (error instanceof ConnectError) return error;
  const trpc = getTRPCErrorFromUnknown(error);
  const code = CODES[trpc.code] ?? Code.Internal;
  if (code === Code.Internal) return new ConnectError('Internal server error', Code.Internal);
  const issues = trpc.code === 'BAD_REQUEST' ? inputIssues(trpc.cause) : undefined;
  if (issues) {
    const fieldViolations = issues.map((issue) => ({
      field: protoFieldPath(request, issue.path),
      description: issue.message,
    }));
    const summary = fieldViolations.map((v) => `${v.field || '(request)'}: ${v.description}`).join('; ');
    return new ConnectError(`Invalid input: ${summary}`, code, undefined, [
      { desc: BadRequestSchema, value: { fieldViolations } },
    ]);
  }
  const details =
    trpc instanceof MeshError ? [{ desc: ErrorInfoSchema, value: { reason: trpc.meshCode, domain } }] : [];
  return new ConnectError(trpc.message, code, undefined, details);
}
