import type { ErrorCode } from './error-codes.js';

/** One entry of an error registry: what kind of failure it is, and the sentence that says so. */
export interface ErrorDefinition {
  code: ErrorCode;
  message: string;
}

export type ErrorRegistry = Record<string, ErrorDefinition>;

export interface RaiseOptions {
  /** Appended to the registry message after a colon: the id, path or value at fault. */
  detail?: string;
  /** Replaces the registry message where the caller has a fuller sentence (what to do next). */
  message?: string;
  cause?: unknown;
}

/** The message an error of this definition carries: the caller's own, or the registry's with the detail. */
export function errorMessage(definition: ErrorDefinition, options: RaiseOptions = {}): string {
  if (options.message !== undefined) return options.message;
  return options.detail ? `${definition.message}: ${options.detail}` : definition.message;
}

/**
 * An error from a registry: `code` is the registry's (`PORT_IN_USE`, `TRACE_NOT_FOUND`), and
 * `definition.code` says what kind of failure it is for whichever transport reports it.
 */
export class RegistryError<TCode extends string = string> extends Error {
  readonly code: TCode;
  readonly definition: ErrorDefinition;
  readonly detail: string | undefined;

  constructor(code: TCode, definition: ErrorDefinition, options: RaiseOptions = {}) {
    super(
      errorMessage(definition, options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.definition = definition;
    this.detail = options.detail;
  }
}

export interface ErrorFactory<TRegistry extends ErrorRegistry, TError> {
  readonly registry: TRegistry;
  /** `throw errors.create('INGEST_LOCKED', { detail })` */
  create(code: keyof TRegistry & string, options?: RaiseOptions): TError;
}

export type ErrorBuilder<TRegistry extends ErrorRegistry, TError> = (
  code: keyof TRegistry & string,
  definition: ErrorDefinition,
  options: RaiseOptions,
) => TError;

/**
 * Turns a package's registry (its `errors.ts`) into a typed factory. Without `build` it makes
 * `RegistryError`s; a package whose errors must be of its own class (the kit's tRPC errors, a
 * CLI error) passes the constructor call.
 */
export function defineErrors<const TRegistry extends ErrorRegistry>(
  registry: TRegistry,
): ErrorFactory<TRegistry, RegistryError<keyof TRegistry & string>>;
export function defineErrors<const TRegistry extends ErrorRegistry, TError>(
  registry: TRegistry,
  build: ErrorBuilder<TRegistry, TError>,
): ErrorFactory<TRegistry, TError>;
export function defineErrors<const TRegistry extends ErrorRegistry, TError>(
  registry: TRegistry,
  build?: ErrorBuilder<TRegistry, TError>,
): ErrorFactory<TRegistry, TError | RegistryError<keyof TRegistry & string>> {
  const make = build ?? ((code, definition, options) => new RegistryError(code, definition, options));
  return {
    registry,
    create: (code, options = {}) => make(code, registry[code] as ErrorDefinition, options),
  };
}
