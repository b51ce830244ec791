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
    const keys: string[] = [];
    const idOf = new Map<string, bigint>();
    for (const id of unique) {
      const key = userKey(id);
      keys.push(key);
      idOf.set(key, id);
      if (!wallets) continue;
      const walletKey = walletsKey(id);
      keys.push(walletKey);
      idOf.set(walletKey, id);
    }
    const values = await cache.getManyOrLoad<Cached>(
      keys,
      (missing) => load([...new Set(missing.map((key) => idOf.get(key) as bigint))], wallets),
      { ttl: settings.ttlSeconds, negativeTtl: settings.negativeTtlSeconds, l1: settings.l1 },
    );
    const step = wallets ? 2 : 1;
    const byId = new Map<bigint, UserDto | UserWithWallets | null>();
    unique.forEach((id, index) => {
      const user = (values[index * step] ?? null) as UserDto | null;
      if (!user || !wallets) byId.set(id, user);
      else byId.set(id, { ...user, wallets: (values[index * step + 1] as WalletDto[] | null) ?? [] });
    });
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
