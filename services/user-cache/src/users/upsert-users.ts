import type { PrismaClient } from '../generated/prisma/client.js';

export interface UserUpsert {
  id: bigint;
  name: string;
  gender?: string | undefined;
  status?: string | undefined;
  wallets?: Array<{ currency: string; balance: string }> | undefined;
}

/**
 * Creates or updates users and their wallets in one statement: the users from unnest()ed
 * arrays with ON CONFLICT (id), the wallets likewise on (user_id, currency). Fields left
 * out keep what is stored (a new user gets the defaults). Ids must be unique in `users`.
 */
export async function upsertUsers(
  prisma: PrismaClient,
  users: readonly UserUpsert[],
): Promise<{ users: number; wallets: number }> {
  const wallets = users.flatMap((user) =>
    (user.wallets ?? []).map((wallet) => ({ userId: user.id, ...wallet })),
  );
  const [counts] = await prisma.$queryRaw<Array<{ users: number; wallets: number }>>`
    WITH input AS (
      SELECT * FROM unnest(
        ${users.map((u) => u.id)}::bigint[], ${users.map((u) => u.name)}::text[],
        ${users.map((u) => u.gender ?? null)}::text[], ${users.map((u) => u.status ?? null)}::text[]
      ) AS t(id, name, gender, status)
    ),
    written AS (
      INSERT INTO users (id, name, gender, status)
      SELECT id, name, gender, coalesce(status, 'active') FROM input
      ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name,
        gender = coalesce(EXCLUDED.gender, users.gender),
        -- EXCLUDED.status already holds the default, so the given value is looked up.
        status = coalesce((SELECT i.status FROM input i WHERE i.id = EXCLUDED.id), users.status),
        updated_at = now()
      RETURNING id
    ),
    written_wallets AS (
      INSERT INTO wallets (user_id, currency, balance)
      SELECT * FROM unnest(
        ${wallets.map((w) => w.userId)}::bigint[], ${wallets.map((w) => w.currency)}::text[],
        ${wallets.map((w) => w.balance)}::numeric[]
      )
      ON CONFLICT (user_id, currency) DO UPDATE SET balance = EXCLUDED.balance, updated_at = now()
      RETURNING user_id
    )
    SELECT (SELECT count(*) FROM written)::int AS users, (SELECT count(*) FROM written_wallets)::int AS wallets`;
  return counts ?? { users: 0, wallets: 0 };
}
