// The explorer does not trace itself: its spans would be exported to itself, one per export.
import { buildTraceExplorer } from './build-trace-explorer.js';
import { readTraceExplorerEnv } from './env.js';

const env = readTraceExplorerEnv();
const explorer = await buildTraceExplorer({
  maxTraces: env.TRACE_EXPLORER_MAX_TRACES,
  maxBytes: env.TRACE_EXPLORER_MAX_BYTES,
  maxSpans: env.TRACE_EXPLORER_MAX_SPANS,
  maxLogs: env.TRACE_EXPLORER_MAX_LOGS,
  maxLogBytes: env.TRACE_EXPLORER_MAX_LOG_BYTES,
  thresholds: {
    queries: env.TRACE_EXPLORER_N_PLUS_ONE,
    calls: env.TRACE_EXPLORER_N_PLUS_ONE,
    cacheMisses: env.TRACE_EXPLORER_MISS_STORM,
  },
  bodyLimitBytes: env.TRACE_EXPLORER_BODY_LIMIT_BYTES,
});
const url = await explorer.listen(env.TRACE_EXPLORER_PORT, env.TRACE_EXPLORER_HOST);
process.stdout.write(`${JSON.stringify({ level: 30, service: 'trace-explorer', msg: 'listening', url })}\n`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    explorer.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
