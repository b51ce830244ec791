import { describe, expect, it } from 'vitest';
import { readCliEnv } from './env.js';

describe('readCliEnv', () => {
  it('defaults everything a laptop needs', () => {
    const env = readCliEnv({ source: {} });
    expect(env).toMatchObject({
      databaseUrl: undefined,
      redisUrl: undefined,
      serviceToken: undefined,
      readyTimeoutMs: 60_000,
      noColor: false,
      ports: {},
    });
  });

  it('reads moved ports by their variable', () => {
    const env = readCliEnv({ source: { USER_CACHE_PORT: '5020', INGESTION_PORT: '' } });
    expect(env.ports).toEqual({ USER_CACHE_PORT: 5020 });
  });

  it('treats an empty DATABASE_URL as unset but keeps an empty REDIS_URL as "no Redis"', () => {
    const env = readCliEnv({ source: { DATABASE_URL: '', REDIS_URL: '' } });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.redisUrl).toBe('');
  });

  it('turns colour off for a non-empty NO_COLOR only', () => {
    expect(readCliEnv({ source: { NO_COLOR: '1' } }).noColor).toBe(true);
    expect(readCliEnv({ source: { NO_COLOR: '' } }).noColor).toBe(false);
  });

  it('fails naming every bad variable', () => {
    expect(() =>
      readCliEnv({ source: { ANALYTICS_PORT: 'x', MESH_SERVICE_TOKEN: 'short', REDIS_URL: 'http://x' } }),
    ).toThrow(expect.objectContaining({ variables: ['REDIS_URL', 'MESH_SERVICE_TOKEN', 'ANALYTICS_PORT'] }));
  });
});
