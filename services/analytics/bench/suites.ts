import type { SuiteEntry } from '@mesh/bench';

/** The analytics suite, by the name `mesh bench <name>` takes; found by the runner by path. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  analytics: {
    summary:
      'dashboard metrics over 100,000 trades: the old 6 queries against the service uncached and cached; reads under load with a trade recorded every second, and the hit ratio',
    load: () => import('./analytics-suite.js'),
  },
};
