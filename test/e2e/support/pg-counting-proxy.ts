import { connect, createServer, type Socket } from 'node:net';

// Startup-phase request codes that a server answers before the real startup message.
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

export interface PgCountingProxy extends AsyncDisposable {
  /** `url` with its host and port replaced by the proxy's. */
  url: string;
  /**
   * Statements Postgres has been asked to run: simple Query ('Q') and extended-protocol
   * Execute ('E') messages, read off the wire. One `client.query()` sends exactly one of them.
   */
  statements(): number;
}

/** Reads frontend messages from one connection's byte stream, counting Q and E. */
function frontendCounter(onStatement: () => void) {
  let pending: Buffer = Buffer.alloc(0);
  let startup = true;
  return (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (startup) {
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        startup = code === SSL_REQUEST || code === GSS_REQUEST;
        pending = pending.subarray(length);
        continue;
      }
      if (pending.length < 5) return;
      const length = pending.readInt32BE(1) + 1;
      if (pending.length < length) return;
      const type = String.fromCharCode(pending[0] as number);
      if (type === 'Q' || type === 'E') onStatement();
      pending = pending.subarray(length);
    }
  };
}

/**
 * A TCP proxy in front of Postgres that counts the statements it forwards: an account of
 * what the database really received, independent of the services' own @mesh/db counters.
 */
export async function startPgCountingProxy(databaseUrl: string): Promise<PgCountingProxy> {
  const target = new URL(databaseUrl);
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const countStatements = frontendCounter(() => {
      count += 1;
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      countStatements(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    statements: () => count,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
