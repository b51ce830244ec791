const objectInUse = '55006';

function isInUse(error: unknown): boolean {
  return (error as { code?: unknown }).code === objectInUse;
}

/**
 * Retries `fn` while Postgres answers "database is being accessed by other users": a
 * closed connection's backend can outlive the client's end() by a few milliseconds.
 */
export async function retryWhileInUse<T>(fn: () => Promise<T>, attempts = 50, delayMs = 100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isInUse(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
