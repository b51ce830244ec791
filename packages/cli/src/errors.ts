import { defineErrors, type ErrorCode, type ErrorRegistry, errorMessage, RegistryError } from '@mesh/errors';

const registry = {
  BAD_ARGS: { code: 'BAD_REQUEST', message: 'the command line is not understood' },
  PORT_IN_USE: { code: 'CONFLICT', message: 'a port the mesh needs is taken' },
  POSTGRES_FAILED: { code: 'SERVICE_UNAVAILABLE', message: 'the embedded PostgreSQL did not start' },
  REDIS_FAILED: { code: 'SERVICE_UNAVAILABLE', message: 'redis-server did not start' },
  MIGRATION_FAILED: { code: 'INTERNAL_SERVER_ERROR', message: 'a service schema could not be migrated' },
  SERVICE_EXITED: { code: 'INTERNAL_SERVER_ERROR', message: 'a service process exited' },
  SERVICE_NOT_READY: { code: 'TIMEOUT', message: 'a service did not become ready in time' },
  ABORTED: { code: 'CANCELLED', message: 'start-up was interrupted (Ctrl-C)' },
  PROCEDURES_UNAVAILABLE: {
    code: 'SERVICE_UNAVAILABLE',
    message: "a service's procedures could not be read (not answering, or refused)",
  },
  NOT_A_MESH_SERVICE: {
    code: 'BAD_GATEWAY',
    message: 'the server answered, but not with a mesh service procedure listing',
  },
} as const satisfies ErrorRegistry;

export type CliErrorCode = keyof typeof registry;

export class CliError extends RegistryError<CliErrorCode> {
  override readonly name = 'CliError';
  /** `message` is the whole sentence the user reads; the registry says what kind of failure it is. */
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, registry[code], { message, cause: options?.cause });
  }
}

/**
 * Every way `mesh` can fail, with what it means. Callers throw `CliError` with one of these
 * codes and a message that says what to do; tests assert on the code.
 */
export const cliErrors = defineErrors(
  registry,
  (code, definition, options) => new CliError(code, errorMessage(definition, options), options),
);

export function isCliError(error: unknown, code?: CliErrorCode): error is CliError {
  return error instanceof CliError && (code === undefined || error.code === code);
}

/** A usage error ends a command with status 2, as getopt-style tools do; every other failure with 1. */
const exitCodeByErrorCode: Partial<Record<ErrorCode, number>> = { BAD_REQUEST: 2 };

export function exitCodeOf(error: CliError): number {
  return exitCodeByErrorCode[error.definition.code] ?? 1;
}
