import { TRPCClientError } from '@trpc/client';

interface ErrorData {
  code?: string;
  meshCode?: string;
  issues?: Array<{ path: string; message: string }>;
}

/**
 * A failed call as a few lines, no stack: the tRPC code (and the service's registry code),
 * then each failing input field. Connection failures say the service is not answering.
 */
export function formatCallError(error: unknown, target: { name: string; url: string }): string[] {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    if (data.code === undefined)
      return [`${target.name} is not answering at ${target.url}: ${error.message}`];
    const code = data.meshCode ? `${data.code} (${data.meshCode})` : data.code;
    if (data.issues && data.issues.length > 0) {
      return [
        `${code}: invalid input`,
        ...data.issues.map((issue) => `  ${issue.path || '(input)'}: ${issue.message}`),
      ];
    }
    return [`${code}: ${error.message}`];
  }
  return [error instanceof Error ? error.message : String(error)];
}
