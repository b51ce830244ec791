export { isTraceCarrier, type TraceCarrier } from './trace-carrier.js';
export { TracedInput } from './traced-input.js';
export { inputSizeOf, meshTransformer, traceCarrierOf } from './wire-transformer.js';
