import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** One entry of a service's error registry: the tRPC code it maps to and its message. */
export interface ErrorDefinition {
  code: TRPC_ERROR_CODE_KEY;
  message: string;
}

/** A domain error: a TRPCError that also carries the registry code (`USERS_NOT_FOUND`...). */
export class MeshError extends TRPCError {
  readonly meshCode: string;
  constructor(
    meshCode: string,
    definition: ErrorDefinition,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super({
      code: definition.code,
      message: options.detail ? `${definition.message}: ${options.detail}` : definition.message,
      cause: options.cause,
    });
    this.meshCode = meshCode;
  }
}

/**
 * Turns a service's registry (its `errors.ts`) into a typed factory:
 * `throw errors.create('INGEST_LOCKED', { detail })`.
 */
export function defineErrors<TRegistry extends Record<string, ErrorDefinition>>(registry: TRegistry) {
  return {
    registry,
    create(code: keyof TRegistry & string, options?: { cause?: unknown; detail?: string }): MeshError {
      return new MeshError(code, registry[code] as ErrorDefinition, options);
    },
  };
}
