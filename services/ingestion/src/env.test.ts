import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

const base = { MESH_SERVICE_TOKEN: 'a-service-token-of-enough-length' };

function refused(source: Record<string, string>): string[] {
  try {
    readEnv({ ...base, ...source });
  } catch (error) {
    return (error as { variables?: string[] }).variables ?? ['(not an EnvError)'];
  }
  return [];
}

describe('ingestion env', () => {
  it('works on a laptop with nothing set: simulated source, chunks of 5,000', () => {
    const env = readEnv(base);
    expect(env.INGESTION_SOURCE).toBe('auto');
    expect(env.INGESTION_CHUNK_SIZE).toBe(5000);
    expect(env.TELEGRAM_GATEWAY_API_KEY).toBeUndefined();
  });

  it('refuses an encryption key or API key shorter than 32 characters at start-up, naming it', () => {
    expect(refused({ TELEGRAM_SESSION_ENCRYPTION_KEY: 'too-short' })).toEqual([
      'TELEGRAM_SESSION_ENCRYPTION_KEY',
    ]);
    expect(refused({ TELEGRAM_GATEWAY_API_KEY: 'too-short' })).toEqual(['TELEGRAM_GATEWAY_API_KEY']);
    expect(refused({ TELEGRAM_SESSION_PREVIOUS_KEYS: `${'x'.repeat(32)},short` })).toEqual([
      'TELEGRAM_SESSION_PREVIOUS_KEYS.1',
    ]);
  });

  it('refuses half a Telegram configuration', () => {
    expect(refused({ TELEGRAM_API_ID: '1' })).toEqual([
      'TELEGRAM_API_HASH',
      'TELEGRAM_SESSION_ENCRYPTION_KEY',
    ]);
    expect(refused({ INGESTION_SOURCE: 'telegram' })).toEqual(['INGESTION_SOURCE']);
    expect(refused({ INGESTION_SIMULATED_FAIL_CHANNELS: '-1001,abc' })).toEqual([
      'INGESTION_SIMULATED_FAIL_CHANNELS.1',
    ]);
  });
});
