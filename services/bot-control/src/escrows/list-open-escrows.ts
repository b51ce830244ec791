import type { PrismaClient } from '../generated/prisma/client.js';

export const OPEN_ESCROW_STATUSES = ['pending', 'funded', 'disputed'];

/**
 * A user's open deals as buyer or seller, newest first: one query, served by
 * `idx_escrow_buyer_status` and `idx_escrow_seller_status` (a BitmapOr of the two).
 */
export function listOpenEscrows(prisma: PrismaClient, user: { id: bigint }, take = 10) {
  return prisma.escrow.findMany({
    where: {
      OR: [
        { buyerId: user.id, status: { in: OPEN_ESCROW_STATUSES } },
        { sellerId: user.id, status: { in: OPEN_ESCROW_STATUSES } },
      ],
    },
    orderBy: { createdAt: 'desc' },
    take,
  });
}
