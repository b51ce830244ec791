/**
 * Every way `mesh` can fail, with what it means. Callers throw `CliError` with one of these
 * codes and a message that says what to do; tests assert on the code.
 */
export const cliErrors = {
  BAD_ARGS: 'the command line is not understood',
  PORT_IN_USE: 'a port the mesh needs is taken',
  POSTGRES_FAILED: 'the embedded PostgreSQL did not start',
  REDIS_FAILED: 'redis-server did not start',
  MIGRATION_FAILED: 'a service schema could not be migrated',
  SERVICE_EXITED: 'a service process exited',
  SERVICE_NOT_READY: 'a service did not become ready in time',
  ABORTED: 'start-up was interrupted (Ctrl-C)',
} as const;

export type CliErrorCode = keyof typeof cliErrors;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCliError(error: unknown, code?: CliErrorCode): error is CliError {
  return error instanceof CliError && (code === undefined || error.code === code);
}
