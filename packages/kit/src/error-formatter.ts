import type { TRPCDefaultErrorShape, TRPCError } from '@trpc/server';
import { MeshError } from './mesh-error.js';
import { isPeerUnreachable } from './peer-unreachable.js';

/** A failing input field: where it is and what is wrong with it. */
export interface InputIssue {
  path: string;
  message: string;
}

export interface MeshErrorData {
  code: TRPCDefaultErrorShape['data']['code'];
  httpStatus: number;
  path?: string;
  /** The registry code of a domain error (`USERS_NOT_FOUND`). */
  meshCode?: string;
  /** The fields that failed validation, for BAD_REQUEST from input parsing. */
  issues?: InputIssue[];
}

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/** The fields that failed an input parser (zod), from a BAD_REQUEST's cause. */
export function inputIssues(cause: unknown): InputIssue[] | undefined {
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return undefined;
  const { issues } = cause as { issues: unknown };
  if (!Array.isArray(issues)) return undefined;
  return (issues as IssueLike[]).map((issue) => ({
    path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.'),
    message: issue.message,
  }));
}

/**
 * The one place errors get their public shape: input failures become BAD_REQUEST naming
 * the fields, domain errors carry their registry code, a call to a peer that did not answer
 * becomes SERVICE_UNAVAILABLE (meshCode PEER_UNAVAILABLE), and anything else unknown becomes a
 * bare INTERNAL_SERVER_ERROR (the cause is logged by the kit, never sent).
 */
export function formatError({ shape, error }: { shape: TRPCDefaultErrorShape; error: TRPCError }) {
  const { stack: _stack, ...data } = shape.data;
  const base: MeshErrorData = { code: data.code, httpStatus: data.httpStatus, path: data.path };
  const issues = error.code === 'BAD_REQUEST' ? inputIssues(error.cause) : undefined;
  if (issues) {
    const fields = issues.map((issue) => `${issue.path || '(input)'}: ${issue.message}`).join('; ');
    return { ...shape, message: `Invalid input: ${fields}`, data: { ...base, issues } };
  }
  if (error instanceof MeshError) {
    return { ...shape, data: { ...base, meshCode: error.meshCode } };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR' && isPeerUnreachable(error.cause)) {
    // A peer that is down or restarting: something to retry, not a bug of this service.
    return {
      ...shape,
      message: 'A service this call needs is not answering; try again shortly',
      data: { ...base, code: 'SERVICE_UNAVAILABLE' as const, httpStatus: 503, meshCode: 'PEER_UNAVAILABLE' },
    };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    return { ...shape, message: 'Internal server error', data: base };
  }
  return { ...shape, data: base };
}
