import { DEMO, DEMO_ASSETS, DEMO_BOT_NAMES } from './demo-data-set.js';

/**
 * A counter-based PRNG in SQL: the `salt`-th pseudo-random number in [0, 1) for row `i`.
 * Each value depends only on (i, salt), never on the order rows are made in, so the same
 * data set comes out of every run and every Postgres plan.
 */
function rnd(i: string, salt: number): string {
  return `((hashint8extended((${i})::bigint, ${salt}) & 2147483647)::float8 / 2147483648.0)`;
}

/**
 * A UUID made from a name: its md5 with the version nibble set to 8 (RFC 9562's form for
 * UUIDs made any other way) and the RFC variant, so it passes every UUID check (zod's too).
 */
function nameUuid(name: string): string {
  return `overlay(overlay(md5(${name}) placing '8' from 13) placing '8' from 17)::uuid`;
}

/** `(ARRAY[...])[1 + floor(r * n)]`: one of `values`, picked by `r`. */
function pick(values: readonly string[], r: string): string {
  const list = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(',');
  return `(ARRAY[${list}])[1 + floor(${r} * ${values.length})::int]`;
}

const FIRST_NAMES = [
  'Alex',
  'Maria',
  'Ivan',
  'Olga',
  'Dmitry',
  'Anna',
  'Sergey',
  'Elena',
  'Pavel',
  'Irina',
  'Nikita',
  'Sofia',
  'Arjun',
  'Priya',
  'Wei',
  'Mei',
  'Omar',
  'Layla',
  'Lucas',
  'Emma',
  'Mateo',
  'Camila',
  'Yusuf',
  'Zeynep',
  'Kenji',
  'Yuki',
  'Noah',
  'Mia',
  'Ali',
  'Sara',
];
const LAST_NAMES = [
  'Petrov',
  'Ivanova',
  'Smirnov',
  'Kuznetsova',
  'Popov',
  'Sokolova',
  'Lebedev',
  'Novak',
  'Sharma',
  'Patel',
  'Chen',
  'Wang',
  'Haddad',
  'Khan',
  'Silva',
  'Costa',
  'Garcia',
  'Lopez',
  'Yilmaz',
  'Demir',
  'Tanaka',
  'Sato',
  'Muller',
  'Schmidt',
  'Rossi',
  'Bianchi',
];

const firstUser = DEMO.firstUserId - 1n;
/** A user of the set picked by `r`, skewed (r squared) so a few users trade a lot, as in a real market. */
const skewedUser = (r: string) => `${firstUser} + 1 + floor(power(${r}, 2) * ${DEMO.users})::bigint`;
const anyUser = (r: string) => `${firstUser} + 1 + floor(${r} * ${DEMO.users})::bigint`;

/** One multi-row statement per table, from generate_series: the whole set in a handful of statements. */
export const demoDataSql = {
  users: [
    `INSERT INTO users.users (id, name, gender, status, created_at, updated_at)
     SELECT ${firstUser} + i,
            ${pick(FIRST_NAMES, rnd('i', 1))} || ' ' || ${pick(LAST_NAMES, rnd('i', 2))},
            CASE WHEN ${rnd('i', 3)} < 0.46 THEN 'male' WHEN ${rnd('i', 3)} < 0.92 THEN 'female'
                 WHEN ${rnd('i', 3)} < 0.95 THEN 'other' END,
            CASE WHEN ${rnd('i', 4)} < 0.9 THEN 'active' WHEN ${rnd('i', 4)} < 0.97 THEN 'inactive' ELSE 'banned' END,
            $1::timestamptz - ${rnd('i', 5)} * interval '365 days',
            $1::timestamptz - ${rnd('i', 5)} * interval '365 days'
     FROM generate_series(1, ${DEMO.users}) AS i`,
    // Every user holds USDT; about half also BTC, and fewer TON and ETH.
    `INSERT INTO users.wallets (user_id, currency, balance, created_at, updated_at)
     SELECT u.id, c.currency, round((${rnd('u.id', 6)} * c.scale * (${rnd('u.id + c.salt', 7)} + 0.01))::numeric, 8),
            u.created_at, u.created_at
     FROM users.users u
     CROSS JOIN (VALUES ('USDT', 1.0, 20000.0, 0), ('BTC', 0.5, 0.8, 1), ('TON', 0.4, 3000.0, 2), ('ETH', 0.3, 6.0, 3))
       AS c(currency, share, scale, salt)
     WHERE u.id BETWEEN ${firstUser} + 1 AND ${firstUser} + ${DEMO.users}
       AND ${rnd('u.id * 4 + c.salt', 8)} < c.share`,
  ],
  trades: [
    // 82% closed (fee and P&L known), 4% cancelled, the rest open; over the last 90 days, in
    // time order (ids grow with time, as they would have, and the time indexes fill in order).
    // Arithmetic in float8, rounded once into numeric: numeric maths on every row costs seconds.
    `INSERT INTO analytics.trades (user_id, asset, side, quantity, price, fee, pnl, status, opened_at, closed_at)
     SELECT user_id, asset, side, quantity::numeric(28, 8), price::numeric(28, 8),
            CASE WHEN status = 'cancelled' THEN 0 ELSE (quantity * price * 0.001)::numeric(28, 10) END,
            CASE WHEN status = 'closed' THEN (quantity * price * (r_pnl - 0.47) * 0.08)::numeric(28, 10) END,
            status, opened_at,
            CASE WHEN status = 'closed' THEN least($1::timestamptz, opened_at + r_hold * interval '72 hours') END
     FROM (
       SELECT ${skewedUser(rnd('i', 11))} AS user_id,
              a.asset,
              CASE WHEN ${rnd('i', 13)} < 0.52 THEN 'buy' ELSE 'sell' END AS side,
              1000.0 / a.price * (0.05 + ${rnd('i', 14)} * 2) AS quantity,
              a.price * (0.9 + ${rnd('i', 15)} * 0.2) AS price,
              CASE WHEN ${rnd('i', 16)} < 0.82 THEN 'closed' WHEN ${rnd('i', 16)} < 0.86 THEN 'cancelled' ELSE 'open' END AS status,
              $1::timestamptz - ${rnd('i', 17)} * interval '${DEMO.tradeDays} days' AS opened_at,
              ${rnd('i', 18)} AS r_hold,
              ${rnd('i', 19)} AS r_pnl
       FROM generate_series(1, ${DEMO.trades}) AS i
       JOIN (VALUES ${DEMO_ASSETS.map(({ asset, price }, index) => `(${index}, '${asset}', ${price}::float8)`).join(', ')})
         AS a(n, asset, price) ON a.n = floor(power(${rnd('i', 12)}, 1.6) * ${DEMO_ASSETS.length})::int
     ) t
     ORDER BY opened_at`,
  ],
  bots: [
    `INSERT INTO bots.bots (id, name, status, created_at, updated_at, last_command_seq, last_event_seq)
     SELECT ${nameUuid("'mesh-demo-bot:' || name")}, name,
            CASE WHEN n % 5 = 4 THEN 'stopped' ELSE 'running' END,
            $1::timestamptz - interval '120 days' + n * interval '1 day', $1::timestamptz,
            ${DEMO.commandsPerBot}, ${DEMO.commandsPerBot * 2}
     FROM unnest(ARRAY[${DEMO_BOT_NAMES.map((name) => `'${name}'`).join(',')}]) WITH ORDINALITY AS b(name, n)`,
    // Each bot's history (the part runs on an empty bots table, so every bot is the set's): commands 1..n in order, each acked and then done (or failed).
    `INSERT INTO bots.bot_commands (id, bot_id, seq, command, payload, status, error, created_at, acked_at, completed_at)
     SELECT ${nameUuid("'mesh-demo-command:' || b.name || ':' || s")}, b.id, s,
            ${pick(['START', 'RESTART', 'CONFIG', 'STOP'], rnd('b.n * 1000 + s', 21))},
            '{}'::jsonb,
            CASE WHEN ${rnd('b.n * 1000 + s', 22)} < 0.92 THEN 'done' ELSE 'failed' END,
            CASE WHEN ${rnd('b.n * 1000 + s', 22)} < 0.92 THEN NULL ELSE 'bot runtime did not answer in time' END,
            $1::timestamptz - interval '90 days' + s * interval '2 days',
            $1::timestamptz - interval '90 days' + s * interval '2 days' + interval '1 second',
            $1::timestamptz - interval '90 days' + s * interval '2 days' + interval '4 seconds'
     FROM (SELECT id, name, row_number() OVER (ORDER BY name) AS n FROM bots.bots) b
     CROSS JOIN generate_series(1, ${DEMO.commandsPerBot}) AS s`,
    // Two events per command, as bot-control records them: acked, then done or failed.
    `INSERT INTO bots.bot_events (id, bot_id, seq, command_id, type, payload, created_at)
     SELECT ${nameUuid("'mesh-demo-event:' || c.id || ':' || e.k")}, c.bot_id, c.seq * 2 - 2 + e.k, c.id,
            CASE WHEN e.k = 1 THEN 'acked' ELSE c.status END,
            jsonb_build_object('command', c.command, 'commandSeq', c.seq::text),
            CASE WHEN e.k = 1 THEN c.acked_at ELSE c.completed_at END
     FROM bots.bot_commands c
     CROSS JOIN (VALUES (1), (2)) AS e(k)`,
    `INSERT INTO bots.escrows (id, buyer_id, seller_id, status, amount, currency, created_at)
     SELECT ${nameUuid("'mesh-demo-escrow:' || i")},
            ${anyUser(rnd('i', 31))},
            ${firstUser} + 1 + ((floor(${rnd('i', 31)} * ${DEMO.users})::bigint + 1 + floor(${rnd('i', 32)} * ${DEMO.users - 1})::bigint) % ${DEMO.users}),
            ${pick(['pending', 'funded', 'disputed', 'released', 'released', 'released', 'cancelled'], rnd('i', 33))},
            round((5 + ${rnd('i', 34)} * 2000)::numeric, 2),
            ${pick(['USDT', 'USDT', 'TON', 'BTC'], rnd('i', 35))},
            $1::timestamptz - ${rnd('i', 36)} * interval '90 days'
     FROM generate_series(1, ${DEMO.escrows}) AS i`,
    `INSERT INTO bots.invitations (id, telegram_id, status, created_at)
     SELECT ${nameUuid("'mesh-demo-invitation:' || i")}, 800000000 + i,
            ${pick(['pending', 'accepted', 'accepted', 'expired'], rnd('i', 41))},
            $1::timestamptz - ${rnd('i', 42)} * interval '60 days'
     FROM generate_series(1, ${DEMO.invitations}) AS i`,
  ],
} as const;

/**
 * The tables each part writes. The first one's rows say the part is there already: a part is
 * written only into an empty one.
 */
export const demoDataTables = {
  users: ['users.users', 'users.wallets'],
  trades: ['analytics.trades'],
  bots: ['bots.bots', 'bots.bot_commands', 'bots.bot_events', 'bots.escrows', 'bots.invitations'],
} as const satisfies Record<keyof typeof demoDataSql, readonly [string, ...string[]]>;

export type DemoDataPart = keyof typeof demoDataSql;
