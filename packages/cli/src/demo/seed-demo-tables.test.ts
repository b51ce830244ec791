import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { countRows, runSql } from '@mesh/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from './demo-data-set.js';
import { seedDemoTables } from './seed-demo-tables.js';
import { meshMigrations } from './testing/start-demo-services.js';

const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

async function freshDatabase(): Promise<string> {
  const database = await createTestDatabase({ migrations: meshMigrations });
  databases.push(database);
  return database.url;
}

const tables = [
  'users.users',
  'users.wallets',
  'analytics.trades',
  'bots.bots',
  'bots.bot_commands',
  'bots.bot_events',
  'bots.escrows',
  'bots.invitations',
] as const;

async function countAll(databaseUrl: string) {
  return Object.fromEntries(
    await Promise.all(tables.map(async (table) => [table, await countRows(databaseUrl, table)] as const)),
  );
}

/** What the figures are made of: the same data set gives the same fingerprint. */
async function fingerprint(databaseUrl: string) {
  const [row] = await runSql(
    { databaseUrl },
    `SELECT (SELECT md5(string_agg(id || name || coalesce(gender, '-') || status, ',' ORDER BY id)) FROM users.users) AS users,
            (SELECT md5(string_agg(user_id || currency || balance, ',' ORDER BY user_id, currency)) FROM users.wallets) AS wallets,
            (SELECT trim_scale(sum(quantity * price))::text || '/' || trim_scale(sum(fee))::text || '/' || trim_scale(sum(pnl))::text
               FROM analytics.trades) AS trades,
            (SELECT md5(string_agg(buyer_id || '>' || seller_id || status || amount, ',' ORDER BY id)) FROM bots.escrows) AS escrows`,
  );
  return row;
}

describe('seedDemoTables', () => {
  it('writes thousands of users with wallets, 100k trades over 90 days, and bots with commands and escrows', async () => {
    const databaseUrl = await freshDatabase();
    const now = new Date('2026-06-30T12:00:00Z');
    const report = await seedDemoTables({ databaseUrl, now });
    expect(report.parts).toEqual({ users: 'seeded', trades: 'seeded', bots: 'seeded' });
    const counts = await countAll(databaseUrl);
    expect(counts).toMatchObject({
      'users.users': DEMO.users,
      'analytics.trades': DEMO.trades,
      'bots.bots': 12,
      'bots.bot_commands': 12 * DEMO.commandsPerBot,
      'bots.bot_events': 12 * DEMO.commandsPerBot * 2,
      'bots.escrows': DEMO.escrows,
      'bots.invitations': DEMO.invitations,
    });
    expect(counts['users.wallets']).toBeGreaterThanOrEqual(DEMO.users);
    const [trades] = await runSql<Record<string, string>>(
      { databaseUrl },
      `SELECT min(opened_at) >= $1::timestamptz - interval '90 days' AS within,
              max(opened_at) <= $1::timestamptz AS not_future,
              count(*) FILTER (WHERE opened_at > $1::timestamptz - interval '24 hours') AS last_day,
              count(DISTINCT asset) AS assets,
              count(*) FILTER (WHERE user_id NOT IN (SELECT id FROM users.users)) AS strangers,
              count(*) FILTER (WHERE status = 'closed') AS closed
       FROM analytics.trades`,
      [now],
    );
    expect(trades).toMatchObject({ within: true, not_future: true, assets: '8', strangers: '0' });
    expect(Number(trades?.last_day)).toBeGreaterThan(0);
    expect(Number(trades?.closed)).toBeGreaterThan(DEMO.trades / 2);
    // A bot's counters match its rows, so a subscriber resuming from last_command_seq misses nothing.
    const mismatched = await runSql(
      { databaseUrl },
      `SELECT b.name FROM bots.bots b
       WHERE b.last_command_seq <> (SELECT max(seq) FROM bots.bot_commands c WHERE c.bot_id = b.id)
          OR b.last_event_seq <> (SELECT max(seq) FROM bots.bot_events e WHERE e.bot_id = b.id)`,
    );
    expect(mismatched).toEqual([]);
  });

  it('writes nothing on a second run: no duplicate row anywhere', async () => {
    const databaseUrl = await freshDatabase();
    await seedDemoTables({ databaseUrl });
    const before = await countAll(databaseUrl);
    const again = await seedDemoTables({ databaseUrl });
    expect(again.parts).toEqual({ users: 'present', trades: 'present', bots: 'present' });
    expect(await countAll(databaseUrl)).toEqual(before);
  });

  it('leaves a part alone when its table already has rows of someone else', async () => {
    const databaseUrl = await freshDatabase();
    await runSql({ databaseUrl }, `INSERT INTO users.users (id, name) VALUES (42, 'Someone real')`);
    const report = await seedDemoTables({ databaseUrl });
    expect(report.parts).toEqual({ users: 'present', trades: 'seeded', bots: 'seeded' });
    expect(await countRows(databaseUrl, 'users.users')).toBe(1);
  });

  it('gives the same data set on every machine and every run', async () => {
    const now = new Date('2026-06-30T12:00:00Z');
    const [first, second] = [await freshDatabase(), await freshDatabase()];
    await seedDemoTables({ databaseUrl: first, now });
    await seedDemoTables({ databaseUrl: second, now });
    expect(await fingerprint(second)).toEqual(await fingerprint(first));
  });
});
