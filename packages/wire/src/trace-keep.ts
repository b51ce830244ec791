/**
 * A callee's word to its caller that it exported its part of a trace the head sampler had
 * dropped (it ended in error, or late), so the caller's held spans of that trace go out too
 * and the trace stays whole. Over HTTP the word is this response header.
 */
export const TRACE_KEEP_HEADER = 'x-mesh-trace-keep';

/**
 * The attribute the caller's client puts on the span a call was made from when the callee
 * said keep (or the call failed): the keep-rule processor then exports that local trace.
 */
export const TRACE_KEEP_ATTRIBUTE = 'mesh.trace.keep';

/**
 * A websocket call's result with the callee's keep word: tRPC's websocket messages carry no
 * headers, so the word rides in the serialised output (`{ json, meta, keep: true }`), and
 * the caller's client unwraps it before anything else sees the result.
 */
export class TraceKept {
  constructor(readonly value: unknown) {}
}
