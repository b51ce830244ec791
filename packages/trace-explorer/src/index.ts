export {
  type BuildTraceExplorerOptions,
  buildTraceExplorer,
  type TraceExplorer,
} from './build-trace-explorer.js';
export { readTraceExplorerEnv, type TraceExplorerEnv } from './env.js';
export { type ExplorerErrorCode, explorerErrors } from './errors.js';
export type { Attributes, AttributeValue, SpanStatus, StoredEvent, StoredSpan } from './stored-span.js';
export type { TraceSummary } from './summarize-trace.js';
export {
  createTraceStore,
  type TraceFilter,
  type TraceStore,
  type TraceStoreOptions,
} from './trace-store.js';
