/**
 * What a test service process does when its spawner stops it (SIGINT or SIGTERM): runs each
 * closer in turn (the server, then telemetry, so its last spans are flushed), then exits 0, or 1
 * when a closer failed.
 */
export function exitOnSignals(...closers: Array<() => Promise<unknown>>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void (async () => {
        for (const close of closers) await close();
      })().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
