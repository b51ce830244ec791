import DataLoader from 'dataloader';
import { errors } from '../errors.js';
import type { ReadLimit } from '../read-limit.js';
import type { UserDto } from './user-dto.js';
import type { UserStore } from './user-store.js';

export type UserLoader = DataLoader<bigint, UserDto | null>;

/**
 * A DataLoader per request: `getUser` calls that arrive together (one batched HTTP request,
 * one websocket, one in-process caller) become one rate-limit check, one MGET and at most
 * one SQL query. Keyed by the tRPC context object, which lives exactly as long as the request.
 */
export function createUserLoaders(store: UserStore, readLimit: ReadLimit) {
  const loaders = new WeakMap<object, UserLoader>();

  async function batch(ids: readonly bigint[]): Promise<Array<UserDto | null | Error>> {
    const decisions = await readLimit.decide(ids);
    const allowed = ids.filter((_, index) => decisions[index]?.allowed);
    const users = allowed.length > 0 ? await store.getMany(allowed) : [];
    const byId = new Map(allowed.map((id, index) => [id, users[index] ?? null]));
    return ids.map((id, index) =>
      decisions[index]?.allowed
        ? (byId.get(id) ?? null)
        : errors.create('USER_RATE_LIMITED', { detail: `user ${id}` }),
    );
  }

  return {
    for(context: object): UserLoader {
      let loader = loaders.get(context);
      if (!loader) {
        // No memo: a request that updates a user and reads it back must see the update.
        // setImmediate: every call that reached load() from the same request joins the batch.
        loader = new DataLoader(batch, {
          cache: false,
          maxBatchSize: 1000,
          batchScheduleFn: (run) => setImmediate(run),
        });
        loaders.set(context, loader);
      }
      return loader;
    },
  };
}
