import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../migrations.js';

let database: TestDatabase;
let client: pg.Client;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every index the planner chose anywhere in the plan of `sql`. */
async function indexesUsed(sql: string, values: unknown[] = []): Promise<string[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
    `EXPLAIN (FORMAT JSON) ${sql}`,
    values,
  );
  const found: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Index Name']) found.push(node['Index Name']);
    for (const child of node.Plans ?? []) walk(child);
  };
  const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (plan) walk(plan);
  return found;
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [migrations] });
  client = new pg.Client({ connectionString: database.url, options: '-c search_path=bots' });
  await client.connect();
  // A realistic spread: 200k deals between 20k users in five statuses over a year,
  // 50k invitations, 2 bots with 20k commands each; then fresh statistics.
  await client.query(`
    INSERT INTO escrows (id, buyer_id, seller_id, status, amount, currency, created_at)
    SELECT gen_random_uuid(), 1 + (i * 7919) % 20000, 1 + (i * 104729) % 20000,
           (ARRAY['pending','funded','released','disputed','cancelled'])[1 + i % 5],
           (i % 1000) + 0.5, (ARRAY['USDT','TON','BTC'])[1 + i % 3],
           now() - (i % 525600) * interval '1 minute'
    FROM generate_series(1::bigint, 200000) AS i`);
  await client.query(`
    INSERT INTO invitations (id, telegram_id, status, created_at)
    SELECT gen_random_uuid(), 1 + (i * 31) % 40000, (ARRAY['pending','accepted','expired'])[1 + i % 3], now()
    FROM generate_series(1::bigint, 50000) AS i`);
  await client.query(
    `INSERT INTO bots (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'a-bot'), ('00000000-0000-4000-8000-000000000002', 'b-bot')`,
  );
  await client.query(`
    INSERT INTO bot_commands (id, bot_id, seq, command)
    SELECT gen_random_uuid(), b.id, s, 'START' FROM bots b, generate_series(1, 20000) AS s`);
  await client.query('ANALYZE escrows, invitations, bot_commands');
}, 120_000);
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('composite indexes, by EXPLAIN over 200k deals', () => {
  it('finds a buyer’s deals in a status through idx_escrow_buyer_status', async () => {
    expect(
      await indexesUsed(`SELECT * FROM escrows WHERE buyer_id = $1 AND status = $2`, [1234, 'funded']),
    ).toEqual(['idx_escrow_buyer_status']);
  });

  it('finds a seller’s deals in a status through idx_escrow_seller_status', async () => {
    expect(
      await indexesUsed(`SELECT * FROM escrows WHERE seller_id = $1 AND status = $2`, [1234, 'pending']),
    ).toEqual(['idx_escrow_seller_status']);
  });

  it('serves the newest deals from idx_escrow_created_at without sorting the table', async () => {
    expect(await indexesUsed(`SELECT * FROM escrows ORDER BY created_at DESC LIMIT 20`)).toEqual([
      'idx_escrow_created_at',
    ]);
  });

  it('answers the open-deals screen (buyer or seller, open statuses) from both composite indexes', async () => {
    const used = await indexesUsed(
      `SELECT * FROM escrows
       WHERE (buyer_id = $1 AND status = ANY($2)) OR (seller_id = $1 AND status = ANY($2))
       ORDER BY created_at DESC LIMIT 10`,
      [1234, ['pending', 'funded', 'disputed']],
    );
    expect(new Set(used)).toEqual(new Set(['idx_escrow_buyer_status', 'idx_escrow_seller_status']));
  });

  it('finds a Telegram user’s invitations in a status through idx_invitation_telegram_status', async () => {
    expect(
      await indexesUsed(`SELECT * FROM invitations WHERE telegram_id = $1 AND status = $2`, [77, 'pending']),
    ).toEqual(['idx_invitation_telegram_status']);
  });

  it('reads a subscriber’s missed commands through the (bot_id, seq) key', async () => {
    expect(
      await indexesUsed(`SELECT * FROM bot_commands WHERE bot_id = $1 AND seq > $2 ORDER BY seq LIMIT 500`, [
        '00000000-0000-4000-8000-000000000001',
        19990,
      ]),
    ).toEqual(['bot_commands_bot_id_seq_key']);
  });
});
