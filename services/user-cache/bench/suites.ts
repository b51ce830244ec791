import type { SuiteEntry } from '@mesh/bench';

/** The user-cache suite, by the name `mesh bench <name>` takes; found by the runner by path. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  'user-cache': {
    summary: 'users by id (1 to 1,000): the old findUnique loop, DataLoader alone, getUsers cold and warm',
    load: () => import('./user-cache-suite.js'),
  },
  'user-cache-ledger': {
    summary: 'where a warm getUsers of 100 ids spends its time, layer by layer, against DataLoader + 1 SQL',
    load: () => import('./warm-ledger-suite.js'),
  },
};
