import type { SuiteEntry } from '@mesh/bench';

/** The bot-control suite, by the name `mesh bench <name>` takes; found by the runner by path. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  'bot-control': {
    summary:
      'command to subscriber latency vs the old 5 s poll; button answer latency with 500 ms jobs vs answer-after-work; job throughput',
    load: () => import('./bot-control-suite.js'),
  },
};
