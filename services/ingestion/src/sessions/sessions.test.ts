import { expectQueryBudget } from '@mesh/db/testing';
import { badRequestPaths, callError, countRows } from '@mesh/testing';
import { sessions } from 'telegram';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../env.js';
import { buildIngestionService } from '../server.js';
import { type IngestionHarness, startIngestion } from '../testing/start-ingestion.js';

const KEY = 'k'.repeat(40);
const TELEGRAM = {
  TELEGRAM_API_ID: '12345',
  TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef',
  TELEGRAM_SESSION_ENCRYPTION_KEY: KEY,
};
let ingestion: IngestionHarness;

/** A well-formed GramJS StringSession (made offline: a DC address and a dummy auth key). */
async function stringSession(): Promise<string> {
  const session = new sessions.StringSession('');
  session.setDC(2, '149.154.167.50', 443);
  const key = new AuthKey();
  await key.setKey(Buffer.alloc(256, 7));
  session.setAuthKey(key);
  return session.save();
}

beforeAll(async () => {
  ingestion = await startIngestion({ env: TELEGRAM });
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
});

describe('telegram sessions', () => {
  it('stores a session encrypted, with its key id, in one query', async () => {
    const session = await stringSession();
    const { result } = await expectQueryBudget(
      () => ingestion.caller.saveTelegramSession({ name: 'default', session }),
      1,
    );
    const [row] = await ingestion.sql<{ key_id: string; ciphertext: Buffer; iv: Buffer; auth_tag: Buffer }>(
      'SELECT key_id, ciphertext, iv, auth_tag FROM ingestion.telegram_sessions WHERE name = $1',
      ['default'],
    );
    expect(row?.key_id).toBe(result.keyId);
    expect(row?.iv).toHaveLength(12);
    expect(row?.auth_tag).toHaveLength(16);
    expect(row?.ciphertext.toString('utf8')).not.toContain(session.slice(0, 24));
  });

  it('selects the MTProto source when API id, hash and a stored session are configured', async () => {
    const env = readEnv({
      DATABASE_URL: ingestion.database.url,
      MESH_SERVICE_TOKEN: ingestion.harness.token,
      LOG_LEVEL: 'silent',
      ...TELEGRAM,
    });
    const service = await buildIngestionService(env);
    try {
      // The client connects on first fetch only, so building it needs no network.
      expect(await service.createCaller().getSyncSource()).toEqual({ kind: 'mtproto' });
    } finally {
      await service.close();
    }
    expect(await ingestion.caller.getSyncSource()).toEqual({ kind: 'simulated' });
  });

  it('refuses to start on a tampered stored session', async () => {
    await ingestion.sql(
      "UPDATE ingestion.telegram_sessions SET ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 1) WHERE name = 'default'",
    );
    const env = readEnv({
      DATABASE_URL: ingestion.database.url,
      MESH_SERVICE_TOKEN: ingestion.harness.token,
      ...TELEGRAM,
    });
    await expect(buildIngestionService(env)).rejects.toMatchObject({ meshCode: 'INGEST_SESSION_TAMPERED' });
  });

  it('refuses bad input and a missing key with typed errors, writing nothing', async () => {
    const before = await countRows(ingestion.database.url, 'ingestion.telegram_sessions');
    expect(
      await badRequestPaths(ingestion.sdk.client.saveTelegramSession.mutate({ session: 'short' })),
    ).toEqual(['session']);
    await using keyless = await startIngestion({ database: ingestion.database });
    expect(
      await callError(
        keyless.sdk.client.saveTelegramSession.mutate({ session: 'a-long-enough-session-string' }),
      ),
    ).toEqual({ code: 'PRECONDITION_FAILED', meshCode: 'INGEST_SESSION_KEY_MISSING' });
    expect(await countRows(ingestion.database.url, 'ingestion.telegram_sessions')).toBe(before);
  });
});
