import type { Cache } from '@mesh/cache';
import { checkpoint } from '@mesh/telemetry';
import type { PrismaClient } from '../generated/prisma/client.js';
import { toUserDto, toWalletDtos, type UserDto, type UserWithWallets, type WalletDto } from './user-dto.js';

export interface UserStoreSettings {
  ttlSeconds: number;
  negativeTtlSeconds: number;
  l1: boolean;
}

export interface UserStore {
  /**
   * The users asked for, in the order asked (`null` for an unknown id), with their wallets
   * when asked. Costs one Redis round trip when every answer is cached; otherwise one more
   * (the write-back) and one SQL query for the misses only.
   */
  getMany(ids: readonly bigint[], options?: { wallets?: false }): Promise<Array<UserDto | null>>;
  getMany(ids: readonly bigint[], options: { wallets: true }): Promise<Array<UserWithWallets | null>>;
  getMany(
    ids: readonly bigint[],
    options?: { wallets?: boolean },
  ): Promise<Array<UserDto | UserWithWallets | null>>;
  /** Invalidates exactly these cached entries: the `users`, and the wallets of `wallets`. */
  forget(changed: { users: readonly bigint[]; wallets?: readonly bigint[] }): Promise<void>;
}

type Cached = UserDto | WalletDto[];

/** Users by id through the shared cache: `user-cache:user:<id>` and `user-cache:wallets:<id>`. */
export function createUserStore(prisma: PrismaClient, cache: Cache, settings: UserStoreSettings): UserStore {
  const userKey = (id: bigint) => cache.key('user', id);
  const walletsKey = (id: bigint) => cache.key('wallets', id);

  /** The misses, all in one query; wallets come in the same statement (a join), when asked. */
  async function load(missingIds: bigint[], wallets: boolean): Promise<Map<string, Cached>> {
    const rows = await prisma.user.findMany({
      where: { id: { in: missingIds } },
      ...(wallets ? { include: { wallets: true }, relationLoadStrategy: 'join' as const } : {}),
    });
    checkpoint('users.loaded', { rows: rows.length });
    const found = new Map<string, Cached>();
    for (const row of rows) {
      found.set(userKey(row.id), toUserDto(row));
      if (wallets) found.set(walletsKey(row.id), toWalletDtos(row));
    }
    return found;
  }

  async function getMany(ids: readonly bigint[], options: { wallets?: boolean } = {}) {
    const wallets = options.wallets === true;
    // Keys in the order of `ids`, repeats included (the cache reads and loads a key once
    // however often it is asked for): a user's key, then its wallets' key when asked.
    const step = wallets ? 2 : 1;
    const keys = new Array<string>(ids.length * step);
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index] as bigint;
      keys[index * step] = userKey(id);
      if (wallets) keys[index * step + 1] = walletsKey(id);
    }
    const values = await cache.getManyOrLoad<Cached>(
      keys,
      (missing) => {
        // Which ids the missing keys are (only on a miss: a warm read needs no map).
        const idOf = new Map(keys.map((key, index) => [key, ids[Math.floor(index / step)] as bigint]));
        return load([...new Set(missing.map((key) => idOf.get(key) as bigint))], wallets);
      },
      { ttl: settings.ttlSeconds, negativeTtl: settings.negativeTtlSeconds, l1: settings.l1 },
    );
    if (!wallets) return values as Array<UserDto | null>;
    return ids.map((_, index): UserWithWallets | null => {
      const user = values[index * 2] as UserDto | null;
      return user && { ...user, wallets: (values[index * 2 + 1] as WalletDto[] | null) ?? [] };
    });
  }

  return {
    getMany: getMany as UserStore['getMany'],
    async forget({ users, wallets = [] }) {
      const keys = [...new Set(users)].map(userKey).concat([...new Set(wallets)].map(walletsKey));
      if (keys.length > 0) await cache.del(...keys);
    },
  };
}
