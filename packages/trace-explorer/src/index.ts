export {
  type BuildTraceExplorerOptions,
  buildTraceExplorer,
  type TraceExplorer,
} from './build-trace-explorer.js';
export type { TraceComparison } from './compare-traces.js';
export { readTraceExplorerEnv, type TraceExplorerEnv } from './env.js';
export { type ExplorerErrorCode, explorerErrors } from './errors.js';
export {
  type Finding,
  type FindingKind,
  type FindingThresholds,
  findFindings,
  findingKinds,
} from './find-findings.js';
export { createLogStore, type LogFilter, type LogStore } from './log-store.js';
export { normalizeStatement } from './normalize-statement.js';
export type { ProcedureStats } from './procedure-stats.js';
export type { ServiceMap } from './service-map.js';
export type { LogLevel, StoredLog } from './stored-log.js';
export type { Attributes, AttributeValue, SpanStatus, StoredEvent, StoredSpan } from './stored-span.js';
export type { FindingBrief, TraceSummary } from './summarize-trace.js';
export {
  createTraceStore,
  type StoredTrace,
  type TraceFilter,
  type TraceStore,
  type TraceStoreOptions,
} from './trace-store.js';
