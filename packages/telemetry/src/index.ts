export { checkpoint } from './checkpoint.js';
export {
  type ClientTracer,
  type CreateClientTracerOptions,
  createClientTracer,
} from './create-client-tracer.js';
export { readTelemetryEnv, type TelemetryEnv, TRACES_SAMPLERS, type TracesSamplerName } from './env.js';
export { isKeptByRule, type KeptBy, TRACE_KEPT_BY_ATTRIBUTE } from './keep-rule-processor.js';
export { callTracer } from './lean-tracer.js';
export { type CreateLoggerOptions, createLogger, type Logger } from './logger.js';
export {
  currentRequestStats,
  type RequestStats,
  recordStat,
  withRequestStats,
  withSpanAndStats,
} from './request-stats.js';
export {
  type Sampling,
  type StartTelemetryOptions,
  startTelemetry,
  type Telemetry,
} from './start-telemetry.js';
