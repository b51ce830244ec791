import type { ServiceClient } from '@mesh/client';
import type { UserCacheRouter } from '@mesh/user-cache/router';

/** The typed client analytics calls user-cache with (for names of the users it reports on). */
export type UserCacheClient = ServiceClient<UserCacheRouter>['client'];
