import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServiceClient } from '@mesh/client';
import { describe, expect, it } from 'vitest';
import type { SignalFixtureRouter } from './testing/signal-fixture-router.js';

const fixture = fileURLToPath(new URL('./testing/signal-fixture.ts', import.meta.url));
const TOKEN = 'signal-test-token-0123456789';

describe('runService', () => {
  it('on SIGTERM finishes the in-flight call and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, TOKEN], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { port } = JSON.parse(line) as { port: number };
    const sdk = createServiceClient<SignalFixtureRouter>({
      url: `http://127.0.0.1:${port}`,
      token: TOKEN,
    });
    const inFlight = sdk.client.slow.mutate({ ms: 400 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGTERM');
    await expect(inFlight).resolves.toEqual({ waited: 400 });
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    await sdk.close();
  });
});
