export interface ShutdownStack {
  /** Registers something started; things stop in the reverse order they started. */
  push(name: string, stop: () => Promise<void>): void;
  /** Stops everything once (later calls share the first), each even if an earlier one failed. */
  stopAll(): Promise<void>;
}

export interface ShutdownStackOptions {
  onStop?: (name: string) => void;
  onError?: (name: string, error: unknown) => void;
}

export function createShutdownStack({ onStop, onError }: ShutdownStackOptions = {}): ShutdownStack {
  const entries: { name: string; stop: () => Promise<void> }[] = [];
  let stopped: Promise<void> | undefined;
  return {
    push: (name, stop) => {
      entries.push({ name, stop });
    },
    stopAll: () => {
      stopped ??= (async () => {
        for (const { name, stop } of entries.splice(0).reverse()) {
          onStop?.(name);
          try {
            await stop();
          } catch (error) {
            onError?.(name, error);
          }
        }
      })();
      return stopped;
    },
  };
}
