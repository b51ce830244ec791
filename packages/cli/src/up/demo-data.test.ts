import { PassThrough } from 'node:stream';
import { buildIngestionService } from '@mesh/ingestion';
import { readEnv } from '@mesh/ingestion/env';
import { migrations } from '@mesh/ingestion/migrations';
import type { IngestionRouter } from '@mesh/ingestion/router';
import { countRows, startTestService, type TestService } from '@mesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshServices, type ServiceSpec } from '../services.js';
import { seedDemoData } from './demo-data.js';
import { freePort } from './free-port.js';
import { createOutput } from './output.js';

let ingestion: TestService<IngestionRouter>;

beforeAll(async () => {
  ingestion = await startTestService({ migrations: [migrations], readEnv, build: buildIngestionService });
});
afterAll(async () => {
  await ingestion?.[Symbol.asyncDispose]();
});

function setup(port: number) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const output = createOutput({ stdout, stderr, color: false, names: ['mesh'] });
  const spec = meshServices.find((service) => service.name === 'ingestion') as ServiceSpec;
  return { output, services: [{ ...spec, port }], out: () => out, err: () => err };
}

describe('demo data', () => {
  it('registers three simulated channels and syncs 500 posts of each', async () => {
    const { output, services, out } = setup(Number(new URL(ingestion.url).port));
    await seedDemoData({ services, token: ingestion.token, output });
    expect(out()).toContain('demo data: 3 simulated channels, 1500 new messages');
    expect(await countRows(ingestion.database.url, 'ingestion.channels')).toBe(3);
    expect(await countRows(ingestion.database.url, 'ingestion.messages')).toBe(1500);
  });

  it('never fails mesh up: an unreachable ingestion is one line on stderr', async () => {
    const { output, services, err } = setup(await freePort());
    await expect(seedDemoData({ services, token: ingestion.token, output })).resolves.toBeUndefined();
    expect(err()).toContain('demo data skipped');
  });
});
