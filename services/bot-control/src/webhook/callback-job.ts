import type { UserCacheRouter } from '@mesh/user-cache/router';
import type { TRPCClient } from '@trpc/client';
import { listOpenEscrows } from '../escrows/list-open-escrows.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { JobHandler } from '../jobs/job-queue.js';
import type { TelegramApi } from './telegram-api.js';
import type { CallbackJobData } from './telegram-update.js';

type UserCacheClient = Pick<TRPCClient<UserCacheRouter>, 'getUsers'>;
type LoadedUser = NonNullable<Awaited<ReturnType<UserCacheClient['getUsers']['query']>>[number]>;

export interface CallbackJobDeps {
  prisma: PrismaClient;
  userCache: UserCacheClient;
  telegram: TelegramApi;
}

/** The wallets screen: built from the loaded user alone. */
function walletsText(user: LoadedUser): string {
  const wallets = user.wallets ?? [];
  if (wallets.length === 0) return `${user.name}, you have no wallets yet.`;
  return [`${user.name}, your balances:`, ...wallets.map((w) => `${w.currency}: ${w.balance}`)].join('\n');
}

/** The deals screen: one indexed query for the deals, the user object as loaded. */
async function escrowsText(prisma: PrismaClient, user: LoadedUser): Promise<string> {
  const deals = await listOpenEscrows(prisma, user);
  if (deals.length === 0) return `${user.name}, you have no open deals.`;
  return [
    `${user.name}, your open deals:`,
    ...deals.map(
      (d) => `${d.buyerId === user.id ? 'buying' : 'selling'} ${d.amount} ${d.currency} (${d.status})`,
    ),
  ].join('\n');
}

/**
 * The work behind a button press, after it was answered: the user and their wallets are
 * loaded once (one `getUsers` call) and handed to each screen, which never loads them again.
 */
export function createCallbackJob({ prisma, userCache, telegram }: CallbackJobDeps): JobHandler {
  return async (raw) => {
    const data = raw as CallbackJobData;
    const [user] = await userCache.getUsers.query({ ids: [BigInt(data.userId)], include: { wallets: true } });
    const text = !user
      ? 'Send /start first, then try again.'
      : data.action === 'wallets'
        ? walletsText(user)
        : data.action === 'escrows'
          ? await escrowsText(prisma, user)
          : 'This button is no longer available.';
    if (data.chatId !== null) await telegram.call('sendMessage', { chat_id: data.chatId, text });
    return { action: data.action, known: user !== null };
  };
}
