import type { StoredSpan } from './stored-span.js';

/** OTLP span kinds the explorer reasons about. */
export const SERVER = 2;
export const CLIENT = 3;

/** The kit's procedure spans: `trpc` over HTTP and websocket, `grpc` through the gRPC face. */
const PROCEDURE_SYSTEMS: ReadonlySet<unknown> = new Set(['trpc', 'grpc']);

/**
 * A procedure's own span, where the service ran it, whichever face it came by. A caller's
 * client span may carry `rpc.system` too (semantic conventions put it on both ends; the
 * websocket client's does, and so would an instrumented gRPC client's): it is the round trip,
 * not the procedure.
 */
export const isProcedure = (span: StoredSpan) =>
  PROCEDURE_SYSTEMS.has(span.attributes['rpc.system']) && span.kind !== CLIENT;

const text = (span: StoredSpan, ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const value = span.attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

export const dbSystemOf = (span: StoredSpan) => text(span, 'db.system.name', 'db.system');

/** The SQL a pg span ran (stable and older semantic conventions), or undefined. */
export function sqlOf(span: StoredSpan): string | undefined {
  const system = dbSystemOf(span);
  if (system === 'redis') return undefined;
  return text(span, 'db.query.text', 'db.statement');
}

/** The URL or path an HTTP span names, whichever convention its instrumentation used. */
export const urlOf = (span: StoredSpan) =>
  text(span, 'url.full', 'http.url', 'url.path', 'http.target', 'http.route');

export const numberOf = (span: StoredSpan, key: string) => {
  const value = span.attributes[key];
  return typeof value === 'number' ? value : 0;
};

/** Parent links of one trace, and a walk up them that cannot loop. */
export function spanIndex(spans: readonly StoredSpan[]) {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const parentOf = (span: StoredSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
  function* ancestors(span: StoredSpan): Generator<StoredSpan> {
    let at = parentOf(span);
    for (let depth = 0; at && depth < 1000; depth += 1) {
      yield at;
      at = parentOf(at);
    }
  }
  return { byId, parentOf, ancestors };
}

export type SpanIndex = ReturnType<typeof spanIndex>;
