import type { AnyProcedure, AnyRouter } from '@trpc/server';
import { procedureAt } from '../trpc-internals.js';

/** One call of a request the fast path can run: a known query or mutation and its raw input. */
export interface FastCall {
  path: string;
  procedure: AnyProcedure;
  type: 'query' | 'mutation';
  /** The input as sent, still in the transformer's wire form (superjson's `{ json, meta }`). */
  wireInput: unknown;
}

/** What the fast path read from a request it can serve. */
export interface ReadRequest {
  calls: FastCall[];
  batch: boolean;
}

export interface CallsRequest {
  method: string;
  path: string;
  batch: boolean;
  /** GET: the `input` query parameter; POST: the body, both as JSON text. */
  inputText: string | undefined;
}

const TYPE_FOR_METHOD = { GET: 'query', POST: 'mutation' } as const;

const MALFORMED = Symbol('malformed JSON');

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED;
  }
}

/**
 * The calls of a request, or `null` when the request is one the fast path leaves to the
 * official adapter: an unknown procedure, a method that does not match the procedure's type,
 * a subscription, malformed JSON or an oversized batch. Those paths are rare, and handing
 * them over keeps their answers (status, `allow` header, message) exactly the adapter's.
 */
export function readCalls(router: AnyRouter, request: CallsRequest, maxBatchSize: number): FastCall[] | null {
  const type = TYPE_FOR_METHOD[request.method as keyof typeof TYPE_FOR_METHOD];
  if (!type) return null;
  const paths = request.batch ? request.path.split(',') : [request.path];
  if (paths.length > maxBatchSize) return null;
  const parsed = parseJson(request.inputText);
  if (parsed === MALFORMED) return null;
  const inputs = parsed as Record<string, unknown> | undefined;
  if (request.batch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null)) return null;

  const calls: FastCall[] = [];
  for (let index = 0; index < paths.length; index++) {
    const path = paths[index] as string;
    const found = procedureAt(router, path);
    if (found?.type !== type) return null;
    calls.push({
      path,
      procedure: found.procedure,
      type,
      wireInput: request.batch ? inputs?.[index] : inputs,
    });
  }
  return calls;
}
