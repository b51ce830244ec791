import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readCliEnv } from '../env.js';
import { isCliError } from '../errors.js';
import { freePort } from '../up/free-port.js';
import { fetchProcedures } from './fetch-procedures.js';
import { runCall } from './run-call.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Something that is not a mesh service on a service's port: every request answered 200 with `body`. */
async function startOtherServer(body: string, contentType: string): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('fetchProcedures', () => {
  it.each([
    ['an HTML page', '<html><body>hello</body></html>', 'text/html'],
    ['JSON of another shape', '{"ok":true,"procedures":"all of them"}', 'application/json'],
  ])(
    'fails with NOT_A_MESH_SERVICE, naming the URL, when a server answers 200 with %s',
    async (_what, body, type) => {
      const url = await startOtherServer(body, type);
      const error = await failureOf(fetchProcedures(url, 'token'));
      expect(isCliError(error, 'NOT_A_MESH_SERVICE')).toBe(true);
      expect((error as Error).message).toContain(`${url}/procedures`);
    },
  );

  it('fails with PROCEDURES_UNAVAILABLE when nothing answers', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const error = await failureOf(fetchProcedures(url, 'token'));
    expect(isCliError(error, 'PROCEDURES_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain(url);
  });
});

describe('mesh call against a port where another server answers', () => {
  it('prints one line naming the service and the URL, and exits 1 instead of throwing', async () => {
    const url = await startOtherServer('<html>not tRPC</html>', 'text/html');
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await runCall(['user-cache.getUser', '{"id":"1n"}'], {
      env: readCliEnv({ source: { MESH_SERVICE_TOKEN: 'x'.repeat(32), USER_CACHE_PORT: new URL(url).port } }),
      stdout: new PassThrough(),
      stderr,
      tokenFile: '/nonexistent',
    });
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^mesh call: user-cache answered /)]);
    expect(err).toContain(`${url}/procedures`);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
