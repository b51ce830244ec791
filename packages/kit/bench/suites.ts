import type { SuiteEntry } from '@mesh/bench';

/** The kit's suites, by the name `mesh bench <name>` takes; found by the runner by path. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  rpc: {
    summary: 'a mesh procedure against a bare Fastify route: server cost and caller view',
    load: () => import('./rpc-suite.js'),
  },
  tracing: {
    summary:
      'the rpc workload with tracing off, on (not exported), exporting every span and exporting with the deployed sampling: throughput ratio',
    load: () => import('./tracing-suite.js'),
  },
  cost: {
    summary:
      'server CPU per call of the rpc workload with everything on and with each layer taken away in turn, beside the bare route and the official adapter',
    load: () => import('./cost-suite.js'),
  },
};
