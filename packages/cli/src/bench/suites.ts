import type { SuiteEntry } from './suite.js';

/** Every benchmark suite, by the name `mesh bench <name>` takes. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  rpc: {
    summary: 'a mesh procedure against a bare Fastify route: server cost and caller view',
    // The suite lives beside the kit it measures.
    load: () => import('@mesh/kit/bench/rpc'),
  },
  tracing: {
    summary:
      'the rpc workload with tracing off, on (not exported) and exporting to the trace explorer: throughput ratio',
    load: () => import('@mesh/kit/bench/tracing'),
  },
  ingestion: {
    summary:
      "channel sync: the seed's before and after, the service, and COPY; 5x500 and 50x2,000; with and without source latency",
    // The suite lives beside the service it measures.
    load: () => import('@mesh/ingestion/bench/ingestion'),
  },
  'user-cache': {
    summary: "users by id (1 to 1,000): the seed's findUnique loop, DataLoader alone, getUsers cold and warm",
    load: () => import('@mesh/user-cache/bench/user-cache'),
  },
  'bot-control': {
    summary:
      "command to subscriber latency vs seed 004's 5 s poll; button answer latency with 500 ms jobs vs answer-after-work; job throughput",
    load: () => import('@mesh/bot-control/bench/bot-control'),
  },
  analytics: {
    summary:
      "dashboard metrics over 100,000 trades: the seed's 6 queries against the service uncached and cached; reads under load with a trade recorded every second, and the hit ratio",
    load: () => import('@mesh/analytics/bench/analytics'),
  },
};
