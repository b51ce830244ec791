import DataLoader from 'dataloader';
import type { PrismaClient } from '../src/generated/prisma/client.js';

type Found = { id: bigint } | null;

/**
 * The anonymous chat bot's "before": a findUnique per id, one after another, as its bot did with
 * `User.findOne()` for every user a message touched.
 */
export function findUniqueLoop(prisma: PrismaClient) {
  return async (ids: bigint[]): Promise<Found[]> => {
    const users: Found[] = [];
    for (const id of ids) users.push(await prisma.user.findUnique({ where: { id } }));
    return users;
  };
}

/**
 * DataLoader-style batching without Redis: a fresh loader per call (a request), whose batch
 * is one findMany with `in` (with `wallets`, the wallets joined into the same statement, as
 * getUsers loads them). What a service gets from batching alone, with no cache.
 */
export function dataLoaderOnly(prisma: PrismaClient, { wallets = false }: { wallets?: boolean } = {}) {
  return async (ids: bigint[]): Promise<Found[]> => {
    const loader = new DataLoader<bigint, Found>(
      async (batch) => {
        const rows = await prisma.user.findMany({
          where: { id: { in: [...batch] } },
          ...(wallets ? { include: { wallets: true }, relationLoadStrategy: 'join' as const } : {}),
        });
        const byId = new Map<bigint, Found>(rows.map((row) => [row.id, row]));
        return batch.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: 1000 },
    );
    const users = await loader.loadMany(ids);
    return users.map((user) => (user instanceof Error ? null : user));
  };
}
