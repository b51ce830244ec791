import type { MeshClient } from '@mesh/sdk';

/**
 * THE EXAMPLE OF WHAT NOT TO DO, kept in the demo traffic on purpose: it looks users up with
 * one `getUser` call per id, each awaited before the next. Ten users cost ten round trips and
 * ten spans in user-cache, where one `getUsers({ ids })` answers all ten with one cache round
 * trip (or one SQL query). The trace explorer flags its traces as `n+1-call`: open one to see
 * what the pattern looks like, then compare with a `demo.user-lookup` trace.
 */
export async function lookUpUsersOneByOne(userCache: MeshClient['userCache'], ids: readonly bigint[]) {
  const users = [];
  for (const id of ids) users.push(await userCache.getUser.query({ id }));
  return users;
}
