/** Concurrent calls for one key share one run: the first starts it, the rest wait for it. */
export interface SingleFlight {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Whether a run for `key` is in progress. */
  has(key: string): boolean;
  /** The run in progress for `key`, if any. */
  pending(key: string): Promise<unknown> | undefined;
  /** Registers a run started elsewhere (a batch load) so single calls join it. */
  track<T>(key: string, promise: Promise<T>): void;
}

export function createSingleFlight(): SingleFlight {
  const runs = new Map<string, Promise<unknown>>();
  const track = <T>(key: string, promise: Promise<T>) => {
    runs.set(key, promise);
    const forget = () => {
      if (runs.get(key) === promise) runs.delete(key);
    };
    promise.then(forget, forget);
  };
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const running = runs.get(key);
      if (running !== undefined) return running as Promise<T>;
      const promise = work();
      track(key, promise);
      return promise;
    },
    has: (key) => runs.has(key),
    pending: (key) => runs.get(key),
    track,
  };
}
