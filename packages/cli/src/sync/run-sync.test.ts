import { buildIngestionService } from '@mesh/ingestion';
import { readEnv } from '@mesh/ingestion/env';
import { migrations } from '@mesh/ingestion/migrations';
import type { IngestionRouter } from '@mesh/ingestion/router';
import { startTestService, type TestService } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCliEnv } from '../env.js';
import { captureStream as capture } from '../testing/capture-stream.js';
import { runSync } from './run-sync.js';

let ingestion: TestService<IngestionRouter>;

beforeAll(async () => {
  ingestion = await startTestService({
    migrations: [migrations],
    readEnv,
    build: buildIngestionService,
    env: { INGESTION_SIMULATED_MESSAGES: '300', INGESTION_SIMULATED_FAIL_CHANNELS: '-1002000000003' },
  });
  await ingestion.service.createCaller().registerChannels({
    channels: [1, 2, 3].map((n) => ({
      id: -1_002_000_000_000n - BigInt(n),
      username: `cli_chan_${n}`,
      title: `${n}`,
    })),
  });
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
});

async function sync(argv: string[], tty: boolean) {
  const stdout = capture();
  const stderr = capture();
  const port = new URL(ingestion.url).port;
  const env = readCliEnv({ source: { MESH_SERVICE_TOKEN: ingestion.token, INGESTION_PORT: port } });
  const code = await runSync(argv, { env, stdout: stdout.stream, stderr: stderr.stream, tty });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('mesh sync', () => {
  it('prints each channel as it is fetched and done, then the totals; exit 1 when a channel failed', async () => {
    const { code, stdout } = await sync(['--limit', '200', '--concurrency=2'], false);
    expect(code).toBe(1);
    expect(stdout).toContain('syncing 3 channels, up to 200 messages each');
    expect(stdout).toContain('cli_chan_1 (-1002000000001): fetched 200');
    expect(stdout).toContain('cli_chan_1 (-1002000000001): 200 fetched, 200 new');
    expect(stdout).toMatch(/cli_chan_3 \(-1002000000003\): failed: The message source failed/);
    expect(stdout).toMatch(
      /2 synced, 0 skipped, 1 failed: 400 messages fetched, 400 new, in \d+ ms and \d+ queries/,
    );
  });

  it('redraws a bar per channel in place on a terminal', async () => {
    const { code, stdout } = await sync(['--channels', '-1002000000001,-1002000000002'], true);
    expect(code).toBe(0);
    expect(stdout).toContain('\u001b[2F\u001b[J');
    expect(stdout).toMatch(/cli_chan_1 \(-1002000000001\) {2}\[#{24}\] {2}100 fetched, 100 new/);
    expect(stdout).toContain('2 synced, 0 skipped, 0 failed: 200 messages fetched, 200 new');
  });

  it('answers bad arguments with exit 2 and the usage, and out-of-range values with the field the service named', async () => {
    const bad = await sync(['--limit', 'many'], false);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit takes a whole number');
    expect(bad.stderr).toContain('usage: mesh sync');
    const refused = await sync(['--limit', '0'], false);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/limit/);
  });
});
