import type { SuiteEntry } from '@mesh/bench';

/** The ingestion suite, by the name `mesh bench <name>` takes; found by the runner by path. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  ingestion: {
    summary:
      "channel sync: the old gateway's before and after, the service, and COPY; 5x500 and 50x2,000; with and without source latency",
    load: () => import('./ingestion-suite.js'),
  },
  grpc: {
    summary:
      "one trivial unary call (GetSyncSource) through the service's gRPC face, a bare @grpc/grpc-js server, " +
      'the tRPC fast path, the SDK over websocket and a bare Fastify route, one load loop for all',
    load: () => import('./grpc-suite.js'),
  },
};
