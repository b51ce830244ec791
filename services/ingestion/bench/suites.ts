import type { SuiteEntry } from '@mesh/bench';

/** The ingestion suite, by the name `mesh bench <name>` takes; found by the runner by path. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  ingestion: {
    summary:
      "channel sync: the seed's before and after, the service, and COPY; 5x500 and 50x2,000; with and without source latency",
    load: () => import('./ingestion-suite.js'),
  },
};
