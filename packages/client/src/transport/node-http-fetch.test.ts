import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from './node-http-fetch.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
});

async function startServer(delayMs = 0): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((request, response) => {
    setTimeout(() => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ method: request.method, url: request.url, auth: request.headers.authorization }),
      );
    }, delayMs);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
  };
}

describe('createNodeHttpFetch', () => {
  it('sends method, headers and body, and reads the JSON answer', async () => {
    const { url } = await startServer();
    const { fetch, close } = createNodeHttpFetch();
    const response = await fetch(`${url}/trpc/x?batch=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(await response.json()).toEqual({ method: 'POST', url: '/trpc/x?batch=1', auth: 'Bearer t' });
    close();
  });

  it('reuses a connection, and closes one every maxRequestsPerSocket requests so load can move to another replica', async () => {
    const { url, connections } = await startServer();
    const { fetch, close } = createNodeHttpFetch({ maxSockets: 1, maxRequestsPerSocket: 2 });
    for (let call = 0; call < 5; call++) await (await fetch(url)).json();
    expect(connections()).toBe(3);
    close();
  });

  it('retires a socket without cutting off the requests queued behind it', async () => {
    const { url, connections } = await startServer(5);
    const { fetch, close } = createNodeHttpFetch({ maxSockets: 1, maxRequestsPerSocket: 3 });
    const answers = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        fetch(url, { method: 'POST', body: '{}' }).then((response) => response.json()),
      ),
    );
    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    expect(connections()).toBe(7);
    close();
  });

  it('rejects with an AbortError when the signal aborts', async () => {
    const { url } = await startServer(500);
    const { fetch, close } = createNodeHttpFetch();
    const controller = new AbortController();
    const pending = fetch(url, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    close();
  });
});
