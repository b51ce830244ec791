/** What a live subscription has delivered so far, and a way to wait for more. */
export interface Collected<TData> {
  events: TData[];
  /** Resolves when the server said the subscription started (for `onCommand`: LISTEN is active). */
  started: Promise<void>;
  /** Resolves once at least `count` events arrived in total. */
  atLeast(count: number): Promise<TData[]>;
  unsubscribe(): void;
}

type Subscribe<TData> = (handlers: {
  onStarted: () => void;
  onData: (data: TData) => void;
  onError: (error: unknown) => void;
}) => { unsubscribe(): void };

/** Subscribes and collects every event; errors reject the pending waits. */
export function collect<TData>(subscribe: Subscribe<TData>): Collected<TData> {
  const events: TData[] = [];
  let waiters: Array<{
    count: number;
    resolve: (events: TData[]) => void;
    reject: (error: unknown) => void;
  }> = [];
  let failure: unknown;
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  const settle = () => {
    waiters = waiters.filter((waiter) => {
      if (failure !== undefined) waiter.reject(failure);
      else if (events.length >= waiter.count) waiter.resolve([...events]);
      else return true;
      return false;
    });
  };
  const subscription = subscribe({
    onStarted,
    onData: (data) => {
      events.push(data);
      settle();
    },
    onError: (error) => {
      failure = error;
      settle();
    },
  });
  return {
    events,
    started,
    atLeast: (count) =>
      new Promise((resolve, reject) => {
        waiters.push({ count, resolve, reject });
        settle();
      }),
    unsubscribe: () => subscription.unsubscribe(),
  };
}
