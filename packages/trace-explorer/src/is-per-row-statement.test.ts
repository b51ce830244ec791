import { describe, expect, it } from 'vitest';
import { isPerRowStatement } from './is-per-row-statement.js';

describe('isPerRowStatement', () => {
  it('counts statements that carry one row a round trip', () => {
    for (const sql of [
      'SELECT name FROM users.users WHERE id = $1',
      `INSERT INTO ingestion.messages (channel_id, message_id, text, telegram_date, source, message_type)
       VALUES ($1, $2, $3, now(), 'simulated', 'text') ON CONFLICT DO NOTHING`,
      // Prisma's findMany with `in` of one id, in a loop.
      'SELECT "t0"."id" FROM "users"."users" AS "t0" WHERE "t0"."id" IN ($1)',
      // A fixed list of literals beside a per-row parameter.
      `SELECT id FROM escrows WHERE buyer_id = $1 AND status IN ('open', 'held')`,
      `UPDATE users SET name = $2 WHERE id = $1`,
    ]) {
      expect(isPerRowStatement(sql), sql).toBe(true);
    }
  });

  it('does not count batched statements or transaction control', () => {
    for (const sql of [
      // Ingestion's chunk INSERT, as pg sends it.
      `INSERT INTO messages (channel_id, message_id, text) SELECT $1::bigint, m.message_id, m.text
       FROM unnest($3::bigint[], $4::text[]) AS m(message_id, text) ON CONFLICT (channel_id, message_id) DO NOTHING`,
      'SELECT id FROM channels c WHERE c.id = ANY($1::bigint[])',
      'SELECT id FROM channels WHERE id = any ( $1 )',
      'SELECT * FROM jsonb_to_recordset($1) AS r(id bigint)',
      // Prisma's findMany({ where: { id: { in } } }) and createMany.
      'SELECT "t0"."id" FROM "users"."users" AS "t0" WHERE "t0"."id" IN ($1,$2,$3)',
      'INSERT INTO "users"."users" ("id","name") VALUES ($1,$2), ($3,$4) ON CONFLICT DO NOTHING',
      `INSERT INTO t (a, b) VALUES ($1, now()),($2, now())`,
      'SELECT 1 FROM t WHERE id = ANY(ARRAY[$1, $2])',
      'BEGIN',
      'COMMIT',
      'ROLLBACK',
      'SAVEPOINT s1',
    ]) {
      expect(isPerRowStatement(sql), sql).toBe(false);
    }
  });
});
