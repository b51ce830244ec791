import { defineErrors, type ErrorRegistry, httpStatusOf, RegistryError } from '@mesh/errors';

const registry = {
  OTLP_MALFORMED: { code: 'BAD_REQUEST', message: 'The OTLP payload could not be decoded' },
  OTLP_UNSUPPORTED_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send application/x-protobuf or application/json',
  },
  TRACE_NOT_FOUND: { code: 'NOT_FOUND', message: 'No stored trace has this id' },
  BAD_QUERY: { code: 'BAD_REQUEST', message: 'Invalid query parameters' },
} as const satisfies ErrorRegistry;

export type ExplorerErrorCode = keyof typeof registry;

export class ExplorerError extends RegistryError<ExplorerErrorCode> {
  override readonly name = 'ExplorerError';
  /** The HTTP status the explorer answers with, from the code's kind of failure. */
  readonly status: number;
  constructor(code: ExplorerErrorCode, detail?: string) {
    super(code, registry[code], { detail });
    this.status = httpStatusOf(registry[code].code);
  }
}

/** The explorer's error registry: every 4xx it answers names one of these codes. */
export const explorerErrors = defineErrors(
  registry,
  (code, _definition, options) => new ExplorerError(code, options.detail),
);
