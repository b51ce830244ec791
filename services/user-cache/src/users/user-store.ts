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
    const unique = [...new Set(ids)];
    // Keys in the order of `unique`: a user's key, then its wallets' key when asked.
    const step = wallets ? 2 : 1;
    const keys = new Array<string>(unique.length * step);
    unique.forEach((id, index) => {
      keys[index * step] = userKey(id);
      if (wallets) keys[index * step + 1] = walletsKey(id);
    });
    const values = await cache.getManyOrLoad<Cached>(
      keys,
      (missing) => {
        // Which ids the missing keys are (only on a miss: a warm read needs no map).
        const idOf = new Map(keys.map((key, index) => [key, unique[Math.floor(index / step)] as bigint]));
        return load([...new Set(missing.map((key) => idOf.get(key) as bigint))], wallets);
      },
      { ttl: settings.ttlSeconds, negativeTtl: settings.negativeTtlSeconds, l1: settings.l1 },
    );
    const answers = unique.map((_, index): UserDto | UserWithWallets | null => {
      const user = (values[index * step] ?? null) as UserDto | null;
      if (!user || !wallets) return user;
      return { ...user, wallets: (values[index * step + 1] as WalletDto[] | null) ?? [] };
    });
    if (unique.length === ids.length) return answers;
    const byId = new Map(unique.map((id, index) => [id, answers[index] ?? null]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  return {
    getMany: getMany as UserStore['getMany'],
    async forget({ users, wallets = [] }) {
      const keys = [...new Set(users)].map(userKey).concat([...new Set(wallets)].map(walletsKey));
      if (keys.length > 0) await cache.del(...keys);
    },
  };
}
