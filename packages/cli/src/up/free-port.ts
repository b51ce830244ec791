import { createServer } from 'node:net';

/**
 * True when nothing listens on `port`. It binds the unspecified address (dual-stack `::`),
 * which on Linux collides with a listener on 0.0.0.0, 127.0.0.1, :: or ::1 alike.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface FreePortOptions {
  /** Taken when free; otherwise the system picks one. */
  preferred?: number;
}

/** A port nothing listens on right now (another process may still take it before we do). */
export async function freePort({ preferred }: FreePortOptions = {}): Promise<number> {
  if (preferred !== undefined && (await isPortFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('the system gave no port'));
      });
    });
  });
}
