import { router } from '@mesh/kit';
import type { PrismaClient } from './generated/prisma/client.js';
import type { PairStore } from './pairs/pair-store.js';
import { createPairsProcedures } from './pairs/pairs-procedures.js';
import type { ReadLimit } from './read-limit.js';
import type { UserStore } from './users/user-store.js';
import { createUsersProcedures } from './users/users-procedures.js';

export interface UserCacheDeps {
  prisma: PrismaClient;
  users: UserStore;
  pairs: PairStore;
  readLimit: ReadLimit;
}

/** The whole tRPC surface of user-cache. */
export function createUserCacheRouter(deps: UserCacheDeps) {
  return router({ ...createUsersProcedures(deps), ...createPairsProcedures(deps) });
}

export type UserCacheRouter = ReturnType<typeof createUserCacheRouter>;
