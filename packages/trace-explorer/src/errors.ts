/** The explorer's error registry: every 4xx it answers names one of these codes. */
export const explorerErrors = {
  OTLP_MALFORMED: { status: 400, message: 'The OTLP payload could not be decoded' },
  OTLP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Send application/x-protobuf or application/json',
  },
  TRACE_NOT_FOUND: { status: 404, message: 'No stored trace has this id' },
  BAD_QUERY: { status: 400, message: 'Invalid query parameters' },
} as const;

export type ExplorerErrorCode = keyof typeof explorerErrors;

export class ExplorerError extends Error {
  override readonly name = 'ExplorerError';
  readonly status: number;
  constructor(
    readonly code: ExplorerErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${explorerErrors[code].message}: ${detail}` : explorerErrors[code].message);
    this.status = explorerErrors[code].status;
  }
}
