import type { SuiteEntry } from './suite.js';

/** Every benchmark suite, by the name `mesh bench <name>` takes. */
export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  rpc: {
    summary: 'a mesh procedure against a bare Fastify route: server cost and caller view',
    // The suite lives beside the kit it measures.
    load: () => import('@mesh/kit/bench/rpc'),
  },
  'user-cache': {
    summary: "users by id (1 to 1,000): the seed's findUnique loop, DataLoader alone, getUsers cold and warm",
    load: () => import('@mesh/user-cache/bench/user-cache'),
  },
};
