import { router } from '@mesh/kit';
import type { PrismaClient } from './generated/prisma/client.js';
import { createUsersProcedures } from './users/users-procedures.js';

export interface UserCacheDeps {
  prisma: PrismaClient;
}

/** The whole tRPC surface of user-cache. */
export function createUserCacheRouter(deps: UserCacheDeps) {
  return router({ ...createUsersProcedures(deps) });
}

export type UserCacheRouter = ReturnType<typeof createUserCacheRouter>;
