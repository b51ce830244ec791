export { isTraceCarrier, type TraceCarrier } from './trace-carrier.js';
export { TRACE_KEEP_ATTRIBUTE, TRACE_KEEP_HEADER, TraceKept } from './trace-keep.js';
export { TracedInput } from './traced-input.js';
export { inputSizeOf, meshTransformer, traceCarrierOf } from './wire-transformer.js';
