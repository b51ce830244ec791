export { checkpoint } from './checkpoint.js';
export {
  type ClientTracer,
  type CreateClientTracerOptions,
  createClientTracer,
} from './create-client-tracer.js';
export { readTelemetryEnv, type TelemetryEnv } from './env.js';
export { type CreateLoggerOptions, createLogger, type Logger } from './logger.js';
export {
  currentRequestStats,
  type RequestStats,
  recordStat,
  withRequestStats,
} from './request-stats.js';
export { type StartTelemetryOptions, startTelemetry, type Telemetry } from './start-telemetry.js';
