import {
  defineErrors as defineRegistry,
  type ErrorCode,
  type ErrorDefinition,
  type ErrorFactory,
  type ErrorRegistry,
  errorMessage,
} from '@mesh/errors';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** The tRPC code each kind of failure travels as; tRPC then gives it its HTTP status. */
export const trpcCodeByErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  TIMEOUT: 'TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  BAD_GATEWAY: 'BAD_GATEWAY',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
} as const satisfies Record<ErrorCode, TRPC_ERROR_CODE_KEY>;

/** A domain error: a TRPCError that also carries the registry code (`USERS_NOT_FOUND`...). */
export class MeshError extends TRPCError {
  readonly meshCode: string;
  constructor(
    meshCode: string,
    definition: ErrorDefinition,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super({
      code: trpcCodeByErrorCode[definition.code],
      message: errorMessage(definition, { detail: options.detail }),
      cause: options.cause,
    });
    this.meshCode = meshCode;
  }
}

/**
 * Turns a service's registry (its `errors.ts`) into a typed factory:
 * `throw errors.create('INGEST_LOCKED', { detail })`.
 */
export function defineErrors<const TRegistry extends ErrorRegistry>(
  registry: TRegistry,
): ErrorFactory<TRegistry, MeshError> {
  return defineRegistry(registry, (code, definition, options) => new MeshError(code, definition, options));
}

export type { ErrorDefinition };
