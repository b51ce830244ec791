export { CALL_LAYERS, type CallLayer } from './call-layers.js';
export { callSpanContextOf } from './call-span.js';
export type { GrpcMethod, MeshContext } from './context.js';
export { type CreateServiceOptions, createService, type MeshService, TRPC_PREFIX } from './create-service.js';
export {
  type DefineServiceEnvOptions,
  defineServiceEnv,
  type EnvSource,
  type ServiceEnv,
  type ServiceEnvDefinition,
  type ServiceEnvExports,
} from './define-service-env.js';
export { type KitEnv, kitEnvShape, readKitEnv } from './env.js';
export { formatError, type InputIssue, inputIssues, type MeshErrorData } from './error-formatter.js';
export { callProcedure } from './fast-path/call-procedure.js';
export { defineErrors, type ErrorDefinition, MeshError } from './mesh-error.js';
export type { ServiceMetrics } from './metrics.js';
export type {
  OptionalReadinessCheck,
  ReadinessCheck,
  ReadinessReport,
  ReadinessState,
} from './readiness.js';
export { type RunServiceOptions, runService } from './run-service.js';
export { createCallerFactory, middleware, procedure, publicProcedure, router } from './trpc.js';
export { listProcedures, type ProcedureAtPath, procedureAt, procedureInputs } from './trpc-internals.js';
export { bearerToken, createTokenVerifier } from './verify-token.js';
