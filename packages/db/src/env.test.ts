import { EnvError } from '@mesh/config';
import { describe, expect, it } from 'vitest';
import { readDbEnv } from './env.js';

describe('readDbEnv', () => {
  it('gives every setting a laptop default', () => {
    expect(readDbEnv({})).toEqual({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
      DB_POOL_MAX: 10,
      DB_POOL_IDLE_TIMEOUT_MS: 10_000,
      DB_CONNECT_TIMEOUT_MS: 5_000,
      DB_STATEMENT_TIMEOUT_MS: 15_000,
      DB_SLOW_QUERY_MS: 1_000,
    });
  });

  it('reads numbers from their string form', () => {
    const env = readDbEnv({ DB_POOL_MAX: '3', DB_SLOW_QUERY_MS: '0' });
    expect(env.DB_POOL_MAX).toBe(3);
    expect(env.DB_SLOW_QUERY_MS).toBe(0);
  });

  it('names the bad variable, in the EnvError every env reader throws', () => {
    expect(() => readDbEnv({ DB_POOL_MAX: 'many' })).toThrow(EnvError);
    expect(() => readDbEnv({ DB_POOL_MAX: 'many' })).toThrow(/DB_POOL_MAX/);
    expect(() => readDbEnv({ DATABASE_URL: 'mysql://localhost/db' })).toThrow(/DATABASE_URL/);
  });
});
