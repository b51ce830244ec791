import type pg from 'pg';

/** `count` users (ids 1..count) and a wallet for every third one, in two statements. */
export async function seedUsers(pool: pg.Pool, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO users (id, name, gender, status)
     SELECT n, 'user ' || n, (ARRAY['male', 'female', 'other'])[1 + n % 3], 'active'
     FROM generate_series(1, $1::bigint) AS n`,
    [count],
  );
  await pool.query(
    `INSERT INTO wallets (user_id, currency, balance)
     SELECT n, 'USDT', n * 1.5 FROM generate_series(3, $1::bigint, 3) AS n`,
    [count],
  );
  await pool.query('ANALYZE users; ANALYZE wallets');
}

/** `sets` lists of `size` distinct ids in 1..max, from a seeded generator (the same every run). */
export function idSets(sets: number, size: number, max: number, seed = 42): bigint[][] {
  // mulberry32: 32-bit integer steps (Math.imul), so no float rounding shortens its period.
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  if (size > max) throw new RangeError(`cannot pick ${size} distinct ids from ${max}`);
  return Array.from({ length: sets }, () => {
    const picked = new Set<bigint>();
    while (picked.size < size) picked.add(BigInt(1 + (next() % max)));
    return [...picked];
  });
}
